from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_event_segments_response_analytics_event_segments import AnalyticsEventSegmentsResponseAnalyticsEventSegments
from ...models.error_response import ErrorResponse
from typing import cast



def _get_kwargs(
    event_id: int,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/events/{event_id}/segments".format(event_id=quote(str(event_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AnalyticsEventSegmentsResponseAnalyticsEventSegments.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse]:
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

) -> Response[AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse]:
    """ The event's guests and members clustered by what they do (uploads, views, reactions, comments,
    downloads, searches, days, time of day, device), named, with sizes and traits (hosts only)

    Args:
        event_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse]
     """


    kwargs = _get_kwargs(
        event_id=event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: int,
    *,
    client: AuthenticatedClient,

) -> AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse | None:
    """ The event's guests and members clustered by what they do (uploads, views, reactions, comments,
    downloads, searches, days, time of day, device), named, with sizes and traits (hosts only)

    Args:
        event_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse
     """


    return sync_detailed(
        event_id=event_id,
client=client,

    ).parsed

async def asyncio_detailed(
    event_id: int,
    *,
    client: AuthenticatedClient,

) -> Response[AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse]:
    """ The event's guests and members clustered by what they do (uploads, views, reactions, comments,
    downloads, searches, days, time of day, device), named, with sizes and traits (hosts only)

    Args:
        event_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse]
     """


    kwargs = _get_kwargs(
        event_id=event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: int,
    *,
    client: AuthenticatedClient,

) -> AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse | None:
    """ The event's guests and members clustered by what they do (uploads, views, reactions, comments,
    downloads, searches, days, time of day, device), named, with sizes and traits (hosts only)

    Args:
        event_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsEventSegmentsResponseAnalyticsEventSegments | ErrorResponse
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,

    )).parsed
