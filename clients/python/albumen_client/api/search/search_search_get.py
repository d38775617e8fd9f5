from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.grid_page import GridPage
from ...models.search_page import SearchPage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
    view: str | Unset = 'full',

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_facets: None | str | Unset
    if isinstance(facets, Unset):
        json_facets = UNSET
    else:
        json_facets = facets
    params["facets"] = json_facets

    params["view"] = view


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/search",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | GridPage | SearchPage | None:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> GridPage | SearchPage:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = SearchPage.from_dict(data)



                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = GridPage.from_dict(data)



            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | GridPage | SearchPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
    view: str | Unset = 'full',

) -> Response[ErrorResponse | GridPage | SearchPage]:
    """ Search with the query language, e.g. beach person:"Anna" after:2023-06

    Args:
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        facets (None | str | Unset): e.g. people,places
        view (str | Unset): whole assets, or grid cells Default: 'full'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GridPage | SearchPage]
     """


    kwargs = _get_kwargs(
        q=q,
limit=limit,
cursor=cursor,
facets=facets,
view=view,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
    view: str | Unset = 'full',

) -> ErrorResponse | GridPage | SearchPage | None:
    """ Search with the query language, e.g. beach person:"Anna" after:2023-06

    Args:
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        facets (None | str | Unset): e.g. people,places
        view (str | Unset): whole assets, or grid cells Default: 'full'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GridPage | SearchPage
     """


    return sync_detailed(
        client=client,
q=q,
limit=limit,
cursor=cursor,
facets=facets,
view=view,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
    view: str | Unset = 'full',

) -> Response[ErrorResponse | GridPage | SearchPage]:
    """ Search with the query language, e.g. beach person:"Anna" after:2023-06

    Args:
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        facets (None | str | Unset): e.g. people,places
        view (str | Unset): whole assets, or grid cells Default: 'full'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GridPage | SearchPage]
     """


    kwargs = _get_kwargs(
        q=q,
limit=limit,
cursor=cursor,
facets=facets,
view=view,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
    view: str | Unset = 'full',

) -> ErrorResponse | GridPage | SearchPage | None:
    """ Search with the query language, e.g. beach person:"Anna" after:2023-06

    Args:
        q (None | str | Unset): query language
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        facets (None | str | Unset): e.g. people,places
        view (str | Unset): whole assets, or grid cells Default: 'full'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GridPage | SearchPage
     """


    return (await asyncio_detailed(
        client=client,
q=q,
limit=limit,
cursor=cursor,
facets=facets,
view=view,

    )).parsed
