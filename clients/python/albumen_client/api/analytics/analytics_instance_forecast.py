from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_instance_forecast_metric import AnalyticsInstanceForecastMetric
from ...models.analytics_instance_forecast_response_analytics_instance_forecast import AnalyticsInstanceForecastResponseAnalyticsInstanceForecast
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    metric: AnalyticsInstanceForecastMetric | Unset = AnalyticsInstanceForecastMetric.UPLOADS,
    horizon: int | Unset = 14,

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
        "url": "/api/v1/analytics/instance/forecast",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AnalyticsInstanceForecastResponseAnalyticsInstanceForecast.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    metric: AnalyticsInstanceForecastMetric | Unset = AnalyticsInstanceForecastMetric.UPLOADS,
    horizon: int | Unset = 14,

) -> Response[AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse]:
    """ The instance's uploads or views for the next days (UTC), with warnings for users' quotas
    (administrators)

    Args:
        metric (AnalyticsInstanceForecastMetric | Unset):  Default:
            AnalyticsInstanceForecastMetric.UPLOADS.
        horizon (int | Unset): days Default: 14.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse]
     """


    kwargs = _get_kwargs(
        metric=metric,
horizon=horizon,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    metric: AnalyticsInstanceForecastMetric | Unset = AnalyticsInstanceForecastMetric.UPLOADS,
    horizon: int | Unset = 14,

) -> AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse | None:
    """ The instance's uploads or views for the next days (UTC), with warnings for users' quotas
    (administrators)

    Args:
        metric (AnalyticsInstanceForecastMetric | Unset):  Default:
            AnalyticsInstanceForecastMetric.UPLOADS.
        horizon (int | Unset): days Default: 14.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse
     """


    return sync_detailed(
        client=client,
metric=metric,
horizon=horizon,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    metric: AnalyticsInstanceForecastMetric | Unset = AnalyticsInstanceForecastMetric.UPLOADS,
    horizon: int | Unset = 14,

) -> Response[AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse]:
    """ The instance's uploads or views for the next days (UTC), with warnings for users' quotas
    (administrators)

    Args:
        metric (AnalyticsInstanceForecastMetric | Unset):  Default:
            AnalyticsInstanceForecastMetric.UPLOADS.
        horizon (int | Unset): days Default: 14.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse]
     """


    kwargs = _get_kwargs(
        metric=metric,
horizon=horizon,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    metric: AnalyticsInstanceForecastMetric | Unset = AnalyticsInstanceForecastMetric.UPLOADS,
    horizon: int | Unset = 14,

) -> AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse | None:
    """ The instance's uploads or views for the next days (UTC), with warnings for users' quotas
    (administrators)

    Args:
        metric (AnalyticsInstanceForecastMetric | Unset):  Default:
            AnalyticsInstanceForecastMetric.UPLOADS.
        horizon (int | Unset): days Default: 14.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsInstanceForecastResponseAnalyticsInstanceForecast | ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
metric=metric,
horizon=horizon,

    )).parsed
