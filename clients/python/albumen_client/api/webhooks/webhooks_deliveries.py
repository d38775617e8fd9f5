from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.delivery_page import DeliveryPage
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    webhook_id: int,
    *,
    state: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    before_id: int | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    params["limit"] = limit

    json_before_id: int | None | Unset
    if isinstance(before_id, Unset):
        json_before_id = UNSET
    else:
        json_before_id = before_id
    params["before_id"] = json_before_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/webhooks/{webhook_id}/deliveries".format(webhook_id=quote(str(webhook_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeliveryPage | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = DeliveryPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DeliveryPage | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    before_id: int | None | Unset = UNSET,

) -> Response[DeliveryPage | ErrorResponse]:
    """ The delivery log, newest first

    Args:
        webhook_id (int):
        state (None | str | Unset):
        limit (int | Unset):  Default: 50.
        before_id (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPage | ErrorResponse]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
state=state,
limit=limit,
before_id=before_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    before_id: int | None | Unset = UNSET,

) -> DeliveryPage | ErrorResponse | None:
    """ The delivery log, newest first

    Args:
        webhook_id (int):
        state (None | str | Unset):
        limit (int | Unset):  Default: 50.
        before_id (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPage | ErrorResponse
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,
state=state,
limit=limit,
before_id=before_id,

    ).parsed

async def asyncio_detailed(
    webhook_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    before_id: int | None | Unset = UNSET,

) -> Response[DeliveryPage | ErrorResponse]:
    """ The delivery log, newest first

    Args:
        webhook_id (int):
        state (None | str | Unset):
        limit (int | Unset):  Default: 50.
        before_id (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryPage | ErrorResponse]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
state=state,
limit=limit,
before_id=before_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    before_id: int | None | Unset = UNSET,

) -> DeliveryPage | ErrorResponse | None:
    """ The delivery log, newest first

    Args:
        webhook_id (int):
        state (None | str | Unset):
        limit (int | Unset):  Default: 50.
        before_id (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryPage | ErrorResponse
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,
state=state,
limit=limit,
before_id=before_id,

    )).parsed
