from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_event_forecast_metric import AnalyticsEventForecastMetric
from ...models.analytics_event_forecast_response_analytics_event_forecast import AnalyticsEventForecastResponseAnalyticsEventForecast
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    event_id: int,
    *,
    metric: AnalyticsEventForecastMetric | Unset = AnalyticsEventForecastMetric.UPLOADS,
    horizon: int | Unset = 24,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_metric: str | Unset = UNSET
    if not isinstance(metric, Unset):
        json_metric = metric.value

    params["metric"] = json_metric

    params["horizon"] = horizon


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/events/{event_id}/forecast".format(event_id=quote(str(event_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AnalyticsEventForecastResponseAnalyticsEventForecast.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse]:
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
    metric: AnalyticsEventForecastMetric | Unset = AnalyticsEventForecastMetric.UPLOADS,
    horizon: int | Unset = 24,

) -> Response[AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse]:
    """ Uploads or views for the next hours (local), with the 80 % prediction interval and warnings: the
    owner's storage quota, the moderation queue (hosts only)

    Args:
        event_id (int):
        metric (AnalyticsEventForecastMetric | Unset):  Default:
            AnalyticsEventForecastMetric.UPLOADS.
        horizon (int | Unset): hours Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
metric=metric,
horizon=horizon,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: int,
    *,
    client: AuthenticatedClient,
    metric: AnalyticsEventForecastMetric | Unset = AnalyticsEventForecastMetric.UPLOADS,
    horizon: int | Unset = 24,

) -> AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse | None:
    """ Uploads or views for the next hours (local), with the 80 % prediction interval and warnings: the
    owner's storage quota, the moderation queue (hosts only)

    Args:
        event_id (int):
        metric (AnalyticsEventForecastMetric | Unset):  Default:
            AnalyticsEventForecastMetric.UPLOADS.
        horizon (int | Unset): hours Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse
     """


    return sync_detailed(
        event_id=event_id,
client=client,
metric=metric,
horizon=horizon,

    ).parsed

async def asyncio_detailed(
    event_id: int,
    *,
    client: AuthenticatedClient,
    metric: AnalyticsEventForecastMetric | Unset = AnalyticsEventForecastMetric.UPLOADS,
    horizon: int | Unset = 24,

) -> Response[AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse]:
    """ Uploads or views for the next hours (local), with the 80 % prediction interval and warnings: the
    owner's storage quota, the moderation queue (hosts only)

    Args:
        event_id (int):
        metric (AnalyticsEventForecastMetric | Unset):  Default:
            AnalyticsEventForecastMetric.UPLOADS.
        horizon (int | Unset): hours Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
metric=metric,
horizon=horizon,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: int,
    *,
    client: AuthenticatedClient,
    metric: AnalyticsEventForecastMetric | Unset = AnalyticsEventForecastMetric.UPLOADS,
    horizon: int | Unset = 24,

) -> AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse | None:
    """ Uploads or views for the next hours (local), with the 80 % prediction interval and warnings: the
    owner's storage quota, the moderation queue (hosts only)

    Args:
        event_id (int):
        metric (AnalyticsEventForecastMetric | Unset):  Default:
            AnalyticsEventForecastMetric.UPLOADS.
        horizon (int | Unset): hours Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsEventForecastResponseAnalyticsEventForecast | ErrorResponse
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
metric=metric,
horizon=horizon,

    )).parsed
