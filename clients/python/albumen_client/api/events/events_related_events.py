from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.related_event_out import RelatedEventOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    event_id: int,
    *,
    limit: int | Unset = 6,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/{event_id}/related".format(event_id=quote(str(event_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[RelatedEventOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = RelatedEventOut.from_dict(response_200_item_data)



            response_200.append(response_200_item)

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[RelatedEventOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: int,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 6,

) -> Response[ErrorResponse | list[RelatedEventOut]]:
    """ Your other events most like this one: the same people, the same members, near in place and time

    Args:
        event_id (int):
        limit (int | Unset):  Default: 6.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[RelatedEventOut]]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: int,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 6,

) -> ErrorResponse | list[RelatedEventOut] | None:
    """ Your other events most like this one: the same people, the same members, near in place and time

    Args:
        event_id (int):
        limit (int | Unset):  Default: 6.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[RelatedEventOut]
     """


    return sync_detailed(
        event_id=event_id,
client=client,
limit=limit,

    ).parsed

async def asyncio_detailed(
    event_id: int,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 6,

) -> Response[ErrorResponse | list[RelatedEventOut]]:
    """ Your other events most like this one: the same people, the same members, near in place and time

    Args:
        event_id (int):
        limit (int | Unset):  Default: 6.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[RelatedEventOut]]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: int,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 6,

) -> ErrorResponse | list[RelatedEventOut] | None:
    """ Your other events most like this one: the same people, the same members, near in place and time

    Args:
        event_id (int):
        limit (int | Unset):  Default: 6.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[RelatedEventOut]
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
limit=limit,

    )).parsed
