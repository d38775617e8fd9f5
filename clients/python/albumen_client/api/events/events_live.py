from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    event_id: int,
    *,
    since: datetime.datetime | None | Unset = UNSET,
    poll: float | Unset = 1.0,
    duration: float | Unset = 300.0,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    params["poll"] = poll

    params["duration"] = duration


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/{event_id}/live".format(event_id=quote(str(event_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse]:
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
    since: datetime.datetime | None | Unset = UNSET,
    poll: float | Unset = 1.0,
    duration: float | Unset = 300.0,

) -> Response[Any | ErrorResponse]:
    """ Server-sent events: each photo that becomes showable (approved and processed), as it happens — for
    live slideshows

    Args:
        event_id (int):
        since (datetime.datetime | None | Unset):
        poll (float | Unset):  Default: 1.0.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
since=since,
poll=poll,
duration=duration,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: int,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    poll: float | Unset = 1.0,
    duration: float | Unset = 300.0,

) -> Any | ErrorResponse | None:
    """ Server-sent events: each photo that becomes showable (approved and processed), as it happens — for
    live slideshows

    Args:
        event_id (int):
        since (datetime.datetime | None | Unset):
        poll (float | Unset):  Default: 1.0.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
     """


    return sync_detailed(
        event_id=event_id,
client=client,
since=since,
poll=poll,
duration=duration,

    ).parsed

async def asyncio_detailed(
    event_id: int,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    poll: float | Unset = 1.0,
    duration: float | Unset = 300.0,

) -> Response[Any | ErrorResponse]:
    """ Server-sent events: each photo that becomes showable (approved and processed), as it happens — for
    live slideshows

    Args:
        event_id (int):
        since (datetime.datetime | None | Unset):
        poll (float | Unset):  Default: 1.0.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
since=since,
poll=poll,
duration=duration,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: int,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    poll: float | Unset = 1.0,
    duration: float | Unset = 300.0,

) -> Any | ErrorResponse | None:
    """ Server-sent events: each photo that becomes showable (approved and processed), as it happens — for
    live slideshows

    Args:
        event_id (int):
        since (datetime.datetime | None | Unset):
        poll (float | Unset):  Default: 1.0.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
since=since,
poll=poll,
duration=duration,

    )).parsed
