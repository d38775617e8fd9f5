from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.people_geojson_response_people_geojson import PeopleGeojsonResponsePeopleGeojson
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    event_id: int | None | Unset = UNSET,
    album_id: int | None | Unset = UNSET,
    limit: int | Unset = 20000,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_event_id: int | None | Unset
    if isinstance(event_id, Unset):
        json_event_id = UNSET
    else:
        json_event_id = event_id
    params["event_id"] = json_event_id

    json_album_id: int | None | Unset
    if isinstance(album_id, Unset):
        json_album_id = UNSET
    else:
        json_album_id = album_id
    params["album_id"] = json_album_id

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/places/geojson",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | PeopleGeojsonResponsePeopleGeojson | None:
    if response.status_code == 200:
        response_200 = PeopleGeojsonResponsePeopleGeojson.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | PeopleGeojsonResponsePeopleGeojson]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    album_id: int | None | Unset = UNSET,
    limit: int | Unset = 20000,

) -> Response[ErrorResponse | PeopleGeojsonResponsePeopleGeojson]:
    """ GeoJSON points of your photos (optionally of one event or album)

    Args:
        event_id (int | None | Unset):
        album_id (int | None | Unset):
        limit (int | Unset):  Default: 20000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PeopleGeojsonResponsePeopleGeojson]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
album_id=album_id,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    album_id: int | None | Unset = UNSET,
    limit: int | Unset = 20000,

) -> ErrorResponse | PeopleGeojsonResponsePeopleGeojson | None:
    """ GeoJSON points of your photos (optionally of one event or album)

    Args:
        event_id (int | None | Unset):
        album_id (int | None | Unset):
        limit (int | Unset):  Default: 20000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PeopleGeojsonResponsePeopleGeojson
     """


    return sync_detailed(
        client=client,
event_id=event_id,
album_id=album_id,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    album_id: int | None | Unset = UNSET,
    limit: int | Unset = 20000,

) -> Response[ErrorResponse | PeopleGeojsonResponsePeopleGeojson]:
    """ GeoJSON points of your photos (optionally of one event or album)

    Args:
        event_id (int | None | Unset):
        album_id (int | None | Unset):
        limit (int | Unset):  Default: 20000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PeopleGeojsonResponsePeopleGeojson]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
album_id=album_id,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    event_id: int | None | Unset = UNSET,
    album_id: int | None | Unset = UNSET,
    limit: int | Unset = 20000,

) -> ErrorResponse | PeopleGeojsonResponsePeopleGeojson | None:
    """ GeoJSON points of your photos (optionally of one event or album)

    Args:
        event_id (int | None | Unset):
        album_id (int | None | Unset):
        limit (int | Unset):  Default: 20000.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PeopleGeojsonResponsePeopleGeojson
     """


    return (await asyncio_detailed(
        client=client,
event_id=event_id,
album_id=album_id,
limit=limit,

    )).parsed
