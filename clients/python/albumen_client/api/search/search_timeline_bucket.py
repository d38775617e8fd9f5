from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.grid_page import GridPage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    month: str,
    *,
    event_id: int | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 200,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_event_id: int | None | Unset
    if isinstance(event_id, Unset):
        json_event_id = UNSET
    else:
        json_event_id = event_id
    params["event_id"] = json_event_id

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/timeline/{month}".format(month=quote(str(month), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | GridPage | None:
    if response.status_code == 200:
        response_200 = GridPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | GridPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    month: str,
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 200,
    cursor: None | str | Unset = UNSET,

) -> Response[ErrorResponse | GridPage]:
    """ The photos of one month, newest first (grid cells)

    Args:
        month (str):
        event_id (int | None | Unset):
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 200.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GridPage]
     """


    kwargs = _get_kwargs(
        month=month,
event_id=event_id,
q=q,
limit=limit,
cursor=cursor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    month: str,
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 200,
    cursor: None | str | Unset = UNSET,

) -> ErrorResponse | GridPage | None:
    """ The photos of one month, newest first (grid cells)

    Args:
        month (str):
        event_id (int | None | Unset):
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 200.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GridPage
     """


    return sync_detailed(
        month=month,
client=client,
event_id=event_id,
q=q,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    month: str,
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 200,
    cursor: None | str | Unset = UNSET,

) -> Response[ErrorResponse | GridPage]:
    """ The photos of one month, newest first (grid cells)

    Args:
        month (str):
        event_id (int | None | Unset):
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 200.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GridPage]
     """


    kwargs = _get_kwargs(
        month=month,
event_id=event_id,
q=q,
limit=limit,
cursor=cursor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    month: str,
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 200,
    cursor: None | str | Unset = UNSET,

) -> ErrorResponse | GridPage | None:
    """ The photos of one month, newest first (grid cells)

    Args:
        month (str):
        event_id (int | None | Unset):
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 200.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GridPage
     """


    return (await asyncio_detailed(
        month=month,
client=client,
event_id=event_id,
q=q,
limit=limit,
cursor=cursor,

    )).parsed
