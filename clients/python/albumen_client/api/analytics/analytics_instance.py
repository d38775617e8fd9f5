from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_instance_response_analytics_instance import AnalyticsInstanceResponseAnalyticsInstance
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    hours: int | Unset = 24,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["hours"] = hours


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/instance",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AnalyticsInstanceResponseAnalyticsInstance.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    hours: int | Unset = 24,

) -> Response[AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse]:
    """ Growth, storage by user, processing throughput, failures and job latency (administrators)

    Args:
        hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse]
     """


    kwargs = _get_kwargs(
        hours=hours,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    hours: int | Unset = 24,

) -> AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse | None:
    """ Growth, storage by user, processing throughput, failures and job latency (administrators)

    Args:
        hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse
     """


    return sync_detailed(
        client=client,
hours=hours,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    hours: int | Unset = 24,

) -> Response[AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse]:
    """ Growth, storage by user, processing throughput, failures and job latency (administrators)

    Args:
        hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse]
     """


    kwargs = _get_kwargs(
        hours=hours,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    hours: int | Unset = 24,

) -> AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse | None:
    """ Growth, storage by user, processing throughput, failures and job latency (administrators)

    Args:
        hours (int | Unset):  Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsInstanceResponseAnalyticsInstance | ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
hours=hours,

    )).parsed
