from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.asset_page import AssetPage
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    taken_after: datetime.datetime | None | Unset = UNSET,
    taken_before: datetime.datetime | None | Unset = UNSET,
    camera: None | str | Unset = UNSET,
    has_gps: bool | None | Unset = UNSET,
    media_type: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    trashed: bool | Unset = False,
    event_id: int | None | Unset = UNSET,
    moderation: None | str | Unset = UNSET,
    stack_id: int | None | Unset = UNSET,
    collapse_stacks: bool | Unset = False,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_taken_after: None | str | Unset
    if isinstance(taken_after, Unset):
        json_taken_after = UNSET
    elif isinstance(taken_after, datetime.datetime):
        json_taken_after = taken_after.isoformat()
    else:
        json_taken_after = taken_after
    params["taken_after"] = json_taken_after

    json_taken_before: None | str | Unset
    if isinstance(taken_before, Unset):
        json_taken_before = UNSET
    elif isinstance(taken_before, datetime.datetime):
        json_taken_before = taken_before.isoformat()
    else:
        json_taken_before = taken_before
    params["taken_before"] = json_taken_before

    json_camera: None | str | Unset
    if isinstance(camera, Unset):
        json_camera = UNSET
    else:
        json_camera = camera
    params["camera"] = json_camera

    json_has_gps: bool | None | Unset
    if isinstance(has_gps, Unset):
        json_has_gps = UNSET
    else:
        json_has_gps = has_gps
    params["has_gps"] = json_has_gps

    json_media_type: None | str | Unset
    if isinstance(media_type, Unset):
        json_media_type = UNSET
    else:
        json_media_type = media_type
    params["media_type"] = json_media_type

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    params["trashed"] = trashed

    json_event_id: int | None | Unset
    if isinstance(event_id, Unset):
        json_event_id = UNSET
    else:
        json_event_id = event_id
    params["event_id"] = json_event_id

    json_moderation: None | str | Unset
    if isinstance(moderation, Unset):
        json_moderation = UNSET
    else:
        json_moderation = moderation
    params["moderation"] = json_moderation

    json_stack_id: int | None | Unset
    if isinstance(stack_id, Unset):
        json_stack_id = UNSET
    else:
        json_stack_id = stack_id
    params["stack_id"] = json_stack_id

    params["collapse_stacks"] = collapse_stacks

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
        "url": "/api/v1/assets",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AssetPage | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AssetPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AssetPage | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    taken_after: datetime.datetime | None | Unset = UNSET,
    taken_before: datetime.datetime | None | Unset = UNSET,
    camera: None | str | Unset = UNSET,
    has_gps: bool | None | Unset = UNSET,
    media_type: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    trashed: bool | Unset = False,
    event_id: int | None | Unset = UNSET,
    moderation: None | str | Unset = UNSET,
    stack_id: int | None | Unset = UNSET,
    collapse_stacks: bool | Unset = False,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,

) -> Response[AssetPage | ErrorResponse]:
    """ List Assets

    Args:
        taken_after (datetime.datetime | None | Unset):
        taken_before (datetime.datetime | None | Unset):
        camera (None | str | Unset):
        has_gps (bool | None | Unset):
        media_type (None | str | Unset):
        state (None | str | Unset):
        trashed (bool | Unset):  Default: False.
        event_id (int | None | Unset):
        moderation (None | str | Unset):
        stack_id (int | None | Unset):
        collapse_stacks (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetPage | ErrorResponse]
     """


    kwargs = _get_kwargs(
        taken_after=taken_after,
taken_before=taken_before,
camera=camera,
has_gps=has_gps,
media_type=media_type,
state=state,
trashed=trashed,
event_id=event_id,
moderation=moderation,
stack_id=stack_id,
collapse_stacks=collapse_stacks,
limit=limit,
cursor=cursor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    taken_after: datetime.datetime | None | Unset = UNSET,
    taken_before: datetime.datetime | None | Unset = UNSET,
    camera: None | str | Unset = UNSET,
    has_gps: bool | None | Unset = UNSET,
    media_type: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    trashed: bool | Unset = False,
    event_id: int | None | Unset = UNSET,
    moderation: None | str | Unset = UNSET,
    stack_id: int | None | Unset = UNSET,
    collapse_stacks: bool | Unset = False,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,

) -> AssetPage | ErrorResponse | None:
    """ List Assets

    Args:
        taken_after (datetime.datetime | None | Unset):
        taken_before (datetime.datetime | None | Unset):
        camera (None | str | Unset):
        has_gps (bool | None | Unset):
        media_type (None | str | Unset):
        state (None | str | Unset):
        trashed (bool | Unset):  Default: False.
        event_id (int | None | Unset):
        moderation (None | str | Unset):
        stack_id (int | None | Unset):
        collapse_stacks (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetPage | ErrorResponse
     """


    return sync_detailed(
        client=client,
taken_after=taken_after,
taken_before=taken_before,
camera=camera,
has_gps=has_gps,
media_type=media_type,
state=state,
trashed=trashed,
event_id=event_id,
moderation=moderation,
stack_id=stack_id,
collapse_stacks=collapse_stacks,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    taken_after: datetime.datetime | None | Unset = UNSET,
    taken_before: datetime.datetime | None | Unset = UNSET,
    camera: None | str | Unset = UNSET,
    has_gps: bool | None | Unset = UNSET,
    media_type: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    trashed: bool | Unset = False,
    event_id: int | None | Unset = UNSET,
    moderation: None | str | Unset = UNSET,
    stack_id: int | None | Unset = UNSET,
    collapse_stacks: bool | Unset = False,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,

) -> Response[AssetPage | ErrorResponse]:
    """ List Assets

    Args:
        taken_after (datetime.datetime | None | Unset):
        taken_before (datetime.datetime | None | Unset):
        camera (None | str | Unset):
        has_gps (bool | None | Unset):
        media_type (None | str | Unset):
        state (None | str | Unset):
        trashed (bool | Unset):  Default: False.
        event_id (int | None | Unset):
        moderation (None | str | Unset):
        stack_id (int | None | Unset):
        collapse_stacks (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetPage | ErrorResponse]
     """


    kwargs = _get_kwargs(
        taken_after=taken_after,
taken_before=taken_before,
camera=camera,
has_gps=has_gps,
media_type=media_type,
state=state,
trashed=trashed,
event_id=event_id,
moderation=moderation,
stack_id=stack_id,
collapse_stacks=collapse_stacks,
limit=limit,
cursor=cursor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    taken_after: datetime.datetime | None | Unset = UNSET,
    taken_before: datetime.datetime | None | Unset = UNSET,
    camera: None | str | Unset = UNSET,
    has_gps: bool | None | Unset = UNSET,
    media_type: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    trashed: bool | Unset = False,
    event_id: int | None | Unset = UNSET,
    moderation: None | str | Unset = UNSET,
    stack_id: int | None | Unset = UNSET,
    collapse_stacks: bool | Unset = False,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,

) -> AssetPage | ErrorResponse | None:
    """ List Assets

    Args:
        taken_after (datetime.datetime | None | Unset):
        taken_before (datetime.datetime | None | Unset):
        camera (None | str | Unset):
        has_gps (bool | None | Unset):
        media_type (None | str | Unset):
        state (None | str | Unset):
        trashed (bool | Unset):  Default: False.
        event_id (int | None | Unset):
        moderation (None | str | Unset):
        stack_id (int | None | Unset):
        collapse_stacks (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetPage | ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
taken_after=taken_after,
taken_before=taken_before,
camera=camera,
has_gps=has_gps,
media_type=media_type,
state=state,
trashed=trashed,
event_id=event_id,
moderation=moderation,
stack_id=stack_id,
collapse_stacks=collapse_stacks,
limit=limit,
cursor=cursor,

    )).parsed
