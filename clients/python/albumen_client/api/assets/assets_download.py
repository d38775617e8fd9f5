from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.assets_download_format import AssetsDownloadFormat
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    ids: str,
    embed: bool | Unset = False,
    sidecars: bool | Unset = False,
    format_: AssetsDownloadFormat | Unset = AssetsDownloadFormat.ORIGINAL,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["ids"] = ids

    params["embed"] = embed

    params["sidecars"] = sidecars

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/assets/download",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | None:
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    ids: str,
    embed: bool | Unset = False,
    sidecars: bool | Unset = False,
    format_: AssetsDownloadFormat | Unset = AssetsDownloadFormat.ORIGINAL,

) -> Response[ErrorResponse]:
    """ ZIP of a selection of assets you can see (streamed originals; or copies with their metadata embedded
    and/or XMP sidecars)

    Args:
        ids (str): comma-separated asset ids
        embed (bool | Unset): copies with title, caption, keywords, rating, label, place, time and
            people embedded (EXIF, IPTC, XMP) Default: False.
        sidecars (bool | Unset): an XMP sidecar (photo.jpg.xmp) beside each file Default: False.
        format_ (AssetsDownloadFormat | Unset): jpeg: photos in other formats re-encoded Default:
            AssetsDownloadFormat.ORIGINAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse]
     """


    kwargs = _get_kwargs(
        ids=ids,
embed=embed,
sidecars=sidecars,
format_=format_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    ids: str,
    embed: bool | Unset = False,
    sidecars: bool | Unset = False,
    format_: AssetsDownloadFormat | Unset = AssetsDownloadFormat.ORIGINAL,

) -> ErrorResponse | None:
    """ ZIP of a selection of assets you can see (streamed originals; or copies with their metadata embedded
    and/or XMP sidecars)

    Args:
        ids (str): comma-separated asset ids
        embed (bool | Unset): copies with title, caption, keywords, rating, label, place, time and
            people embedded (EXIF, IPTC, XMP) Default: False.
        sidecars (bool | Unset): an XMP sidecar (photo.jpg.xmp) beside each file Default: False.
        format_ (AssetsDownloadFormat | Unset): jpeg: photos in other formats re-encoded Default:
            AssetsDownloadFormat.ORIGINAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse
     """


    return sync_detailed(
        client=client,
ids=ids,
embed=embed,
sidecars=sidecars,
format_=format_,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    ids: str,
    embed: bool | Unset = False,
    sidecars: bool | Unset = False,
    format_: AssetsDownloadFormat | Unset = AssetsDownloadFormat.ORIGINAL,

) -> Response[ErrorResponse]:
    """ ZIP of a selection of assets you can see (streamed originals; or copies with their metadata embedded
    and/or XMP sidecars)

    Args:
        ids (str): comma-separated asset ids
        embed (bool | Unset): copies with title, caption, keywords, rating, label, place, time and
            people embedded (EXIF, IPTC, XMP) Default: False.
        sidecars (bool | Unset): an XMP sidecar (photo.jpg.xmp) beside each file Default: False.
        format_ (AssetsDownloadFormat | Unset): jpeg: photos in other formats re-encoded Default:
            AssetsDownloadFormat.ORIGINAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse]
     """


    kwargs = _get_kwargs(
        ids=ids,
embed=embed,
sidecars=sidecars,
format_=format_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    ids: str,
    embed: bool | Unset = False,
    sidecars: bool | Unset = False,
    format_: AssetsDownloadFormat | Unset = AssetsDownloadFormat.ORIGINAL,

) -> ErrorResponse | None:
    """ ZIP of a selection of assets you can see (streamed originals; or copies with their metadata embedded
    and/or XMP sidecars)

    Args:
        ids (str): comma-separated asset ids
        embed (bool | Unset): copies with title, caption, keywords, rating, label, place, time and
            people embedded (EXIF, IPTC, XMP) Default: False.
        sidecars (bool | Unset): an XMP sidecar (photo.jpg.xmp) beside each file Default: False.
        format_ (AssetsDownloadFormat | Unset): jpeg: photos in other formats re-encoded Default:
            AssetsDownloadFormat.ORIGINAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
ids=ids,
embed=embed,
sidecars=sidecars,
format_=format_,

    )).parsed
