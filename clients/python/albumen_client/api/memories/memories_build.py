from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.built import Built
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    day: datetime.date | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_day: None | str | Unset
    if isinstance(day, Unset):
        json_day = UNSET
    elif isinstance(day, datetime.date):
        json_day = day.isoformat()
    else:
        json_day = day
    params["day"] = json_day


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/memories/build",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Built | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = Built.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Built | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    day: datetime.date | None | Unset = UNSET,

) -> Response[Built | ErrorResponse]:
    """ Build your memories of a day again now

    Args:
        day (datetime.date | None | Unset): the day (default: today, UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Built | ErrorResponse]
     """


    kwargs = _get_kwargs(
        day=day,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    day: datetime.date | None | Unset = UNSET,

) -> Built | ErrorResponse | None:
    """ Build your memories of a day again now

    Args:
        day (datetime.date | None | Unset): the day (default: today, UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Built | ErrorResponse
     """


    return sync_detailed(
        client=client,
day=day,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    day: datetime.date | None | Unset = UNSET,

) -> Response[Built | ErrorResponse]:
    """ Build your memories of a day again now

    Args:
        day (datetime.date | None | Unset): the day (default: today, UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Built | ErrorResponse]
     """


    kwargs = _get_kwargs(
        day=day,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    day: datetime.date | None | Unset = UNSET,

) -> Built | ErrorResponse | None:
    """ Build your memories of a day again now

    Args:
        day (datetime.date | None | Unset): the day (default: today, UTC)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Built | ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
day=day,

    )).parsed
