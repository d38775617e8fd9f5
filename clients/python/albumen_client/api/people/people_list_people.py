from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.person_out import PersonOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    hidden: bool | Unset = False,
    q: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["hidden"] = hidden

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/people",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[PersonOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = PersonOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[PersonOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    hidden: bool | Unset = False,
    q: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,

) -> Response[ErrorResponse | list[PersonOut]]:
    """ Your people; with q, the named ones whose name starts with it

    Args:
        hidden (bool | Unset):  Default: False.
        q (None | str | Unset): names (or a word of them) starting with this, case and accents
            aside; most faces first
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[PersonOut]]
     """


    kwargs = _get_kwargs(
        hidden=hidden,
q=q,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    hidden: bool | Unset = False,
    q: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,

) -> ErrorResponse | list[PersonOut] | None:
    """ Your people; with q, the named ones whose name starts with it

    Args:
        hidden (bool | Unset):  Default: False.
        q (None | str | Unset): names (or a word of them) starting with this, case and accents
            aside; most faces first
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[PersonOut]
     """


    return sync_detailed(
        client=client,
hidden=hidden,
q=q,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    hidden: bool | Unset = False,
    q: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,

) -> Response[ErrorResponse | list[PersonOut]]:
    """ Your people; with q, the named ones whose name starts with it

    Args:
        hidden (bool | Unset):  Default: False.
        q (None | str | Unset): names (or a word of them) starting with this, case and accents
            aside; most faces first
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[PersonOut]]
     """


    kwargs = _get_kwargs(
        hidden=hidden,
q=q,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    hidden: bool | Unset = False,
    q: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,

) -> ErrorResponse | list[PersonOut] | None:
    """ Your people; with q, the named ones whose name starts with it

    Args:
        hidden (bool | Unset):  Default: False.
        q (None | str | Unset): names (or a word of them) starting with this, case and accents
            aside; most faces first
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[PersonOut]
     """


    return (await asyncio_detailed(
        client=client,
hidden=hidden,
q=q,
limit=limit,

    )).parsed
