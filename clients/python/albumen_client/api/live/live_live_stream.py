from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    assets: None | str | Unset = UNSET,
    event: int | None | Unset = UNSET,
    mine: bool | Unset = False,
    duration: float | Unset = 300.0,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_assets: None | str | Unset
    if isinstance(assets, Unset):
        json_assets = UNSET
    else:
        json_assets = assets
    params["assets"] = json_assets

    json_event: int | None | Unset
    if isinstance(event, Unset):
        json_event = UNSET
    else:
        json_event = event
    params["event"] = json_event

    params["mine"] = mine

    params["duration"] = duration


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/live",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    assets: None | str | Unset = UNSET,
    event: int | None | Unset = UNSET,
    mine: bool | Unset = False,
    duration: float | Unset = 300.0,

) -> Response[Any | HTTPValidationError]:
    """ The WebSocket's events as Server-Sent Events (for clients without WebSockets): assets=1,2, event=ID
    and/or mine=true say what to hear

    Args:
        assets (None | str | Unset):
        event (int | None | Unset):
        mine (bool | Unset):  Default: False.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        assets=assets,
event=event,
mine=mine,
duration=duration,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    assets: None | str | Unset = UNSET,
    event: int | None | Unset = UNSET,
    mine: bool | Unset = False,
    duration: float | Unset = 300.0,

) -> Any | HTTPValidationError | None:
    """ The WebSocket's events as Server-Sent Events (for clients without WebSockets): assets=1,2, event=ID
    and/or mine=true say what to hear

    Args:
        assets (None | str | Unset):
        event (int | None | Unset):
        mine (bool | Unset):  Default: False.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HTTPValidationError
     """


    return sync_detailed(
        client=client,
assets=assets,
event=event,
mine=mine,
duration=duration,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    assets: None | str | Unset = UNSET,
    event: int | None | Unset = UNSET,
    mine: bool | Unset = False,
    duration: float | Unset = 300.0,

) -> Response[Any | HTTPValidationError]:
    """ The WebSocket's events as Server-Sent Events (for clients without WebSockets): assets=1,2, event=ID
    and/or mine=true say what to hear

    Args:
        assets (None | str | Unset):
        event (int | None | Unset):
        mine (bool | Unset):  Default: False.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        assets=assets,
event=event,
mine=mine,
duration=duration,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    assets: None | str | Unset = UNSET,
    event: int | None | Unset = UNSET,
    mine: bool | Unset = False,
    duration: float | Unset = 300.0,

) -> Any | HTTPValidationError | None:
    """ The WebSocket's events as Server-Sent Events (for clients without WebSockets): assets=1,2, event=ID
    and/or mine=true say what to hear

    Args:
        assets (None | str | Unset):
        event (int | None | Unset):
        mine (bool | Unset):  Default: False.
        duration (float | Unset): seconds before the stream ends (browsers reconnect) Default:
            300.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HTTPValidationError
     """


    return (await asyncio_detailed(
        client=client,
assets=assets,
event=event,
mine=mine,
duration=duration,

    )).parsed
