from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.asset_change import AssetChange
from ...models.asset_out import AssetOut
from ...models.error_response import ErrorResponse
from typing import cast



def _get_kwargs(
    asset_id: int,
    *,
    body: AssetChange,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/assets/{asset_id}".format(asset_id=quote(str(asset_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AssetOut | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AssetOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AssetOut | ErrorResponse]:
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
    body: AssetChange,

) -> Response[AssetOut | ErrorResponse]:
    """ Favourite, rating, title, description, label, tier, a document's category (only the fields sent)

    Args:
        asset_id (int):
        body (AssetChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetOut | ErrorResponse]
     """


    kwargs = _get_kwargs(
        asset_id=asset_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    body: AssetChange,

) -> AssetOut | ErrorResponse | None:
    """ Favourite, rating, title, description, label, tier, a document's category (only the fields sent)

    Args:
        asset_id (int):
        body (AssetChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetOut | ErrorResponse
     """


    return sync_detailed(
        asset_id=asset_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    body: AssetChange,

) -> Response[AssetOut | ErrorResponse]:
    """ Favourite, rating, title, description, label, tier, a document's category (only the fields sent)

    Args:
        asset_id (int):
        body (AssetChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetOut | ErrorResponse]
     """


    kwargs = _get_kwargs(
        asset_id=asset_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    asset_id: int,
    *,
    client: AuthenticatedClient,
    body: AssetChange,

) -> AssetOut | ErrorResponse | None:
    """ Favourite, rating, title, description, label, tier, a document's category (only the fields sent)

    Args:
        asset_id (int):
        body (AssetChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetOut | ErrorResponse
     """


    return (await asyncio_detailed(
        asset_id=asset_id,
client=client,
body=body,

    )).parsed
