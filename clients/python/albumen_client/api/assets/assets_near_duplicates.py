from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.near_duplicates import NearDuplicates
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    asset_id: int,
    *,
    max_distance: int | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_max_distance: int | None | Unset
    if isinstance(max_distance, Unset):
        json_max_distance = UNSET
    else:
        json_max_distance = max_distance
    params["max_distance"] = json_max_distance


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/assets/{asset_id}/near-duplicates".format(asset_id=quote(str(asset_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | NearDuplicates | None:
    if response.status_code == 200:
        response_200 = NearDuplicates.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | NearDuplicates]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    max_distance: int | None | Unset = UNSET,

) -> Response[ErrorResponse | NearDuplicates]:
    """ Near Duplicates

    Args:
        asset_id (int):
        max_distance (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | NearDuplicates]
     """


    kwargs = _get_kwargs(
        asset_id=asset_id,
max_distance=max_distance,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    max_distance: int | None | Unset = UNSET,

) -> ErrorResponse | NearDuplicates | None:
    """ Near Duplicates

    Args:
        asset_id (int):
        max_distance (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | NearDuplicates
     """


    return sync_detailed(
        asset_id=asset_id,
client=client,
max_distance=max_distance,

    ).parsed

async def asyncio_detailed(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    max_distance: int | None | Unset = UNSET,

) -> Response[ErrorResponse | NearDuplicates]:
    """ Near Duplicates

    Args:
        asset_id (int):
        max_distance (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | NearDuplicates]
     """


    kwargs = _get_kwargs(
        asset_id=asset_id,
max_distance=max_distance,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    max_distance: int | None | Unset = UNSET,

) -> ErrorResponse | NearDuplicates | None:
    """ Near Duplicates

    Args:
        asset_id (int):
        max_distance (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | NearDuplicates
     """


    return (await asyncio_detailed(
        asset_id=asset_id,
client=client,
max_distance=max_distance,

    )).parsed
