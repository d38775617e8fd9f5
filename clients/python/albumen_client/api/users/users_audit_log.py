from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.audit_out import AuditOut
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    action: None | str | Unset = UNSET,
    user_id: int | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_user_id: int | None | Unset
    if isinstance(user_id, Unset):
        json_user_id = UNSET
    else:
        json_user_id = user_id
    params["user_id"] = json_user_id

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_before_id: int | None | Unset
    if isinstance(before_id, Unset):
        json_before_id = UNSET
    else:
        json_before_id = before_id
    params["before_id"] = json_before_id

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/audit",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[AuditOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = AuditOut.from_dict(response_200_item_data)



            response_200.append(response_200_item)

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[AuditOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    user_id: int | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorResponse | list[AuditOut]]:
    """ Audit Log

    Args:
        action (None | str | Unset):
        user_id (int | None | Unset):
        since (datetime.datetime | None | Unset):
        before_id (int | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[AuditOut]]
     """


    kwargs = _get_kwargs(
        action=action,
user_id=user_id,
since=since,
before_id=before_id,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    user_id: int | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorResponse | list[AuditOut] | None:
    """ Audit Log

    Args:
        action (None | str | Unset):
        user_id (int | None | Unset):
        since (datetime.datetime | None | Unset):
        before_id (int | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[AuditOut]
     """


    return sync_detailed(
        client=client,
action=action,
user_id=user_id,
since=since,
before_id=before_id,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    user_id: int | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> Response[ErrorResponse | list[AuditOut]]:
    """ Audit Log

    Args:
        action (None | str | Unset):
        user_id (int | None | Unset):
        since (datetime.datetime | None | Unset):
        before_id (int | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[AuditOut]]
     """


    kwargs = _get_kwargs(
        action=action,
user_id=user_id,
since=since,
before_id=before_id,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    user_id: int | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,

) -> ErrorResponse | list[AuditOut] | None:
    """ Audit Log

    Args:
        action (None | str | Unset):
        user_id (int | None | Unset):
        since (datetime.datetime | None | Unset):
        before_id (int | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[AuditOut]
     """


    return (await asyncio_detailed(
        client=client,
action=action,
user_id=user_id,
since=since,
before_id=before_id,
limit=limit,

    )).parsed
