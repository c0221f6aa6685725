"""Middleware bases of the hub that work under ASGI without a thread per request.

Django runs a middleware chain asynchronously only if every middleware in it is async-capable;
one sync-only middleware makes it hold a thread for the whole request, the long poll's wait
included (sync.hub.longpoll). whitenoise 6 is sync-only, so it is wrapped here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from sync import protocol

GetResponse = Callable[[HttpRequest], Any]


TERMINAL_META = "HTTP_" + protocol.TERMINAL_HEADER.upper().replace("-", "_")


class AfterResponse:
    """A middleware that looks at each answered request and, for a kiosk's request to one view
    (`url_name`, `method`) answered 200 that also passes `also_wants` (cheap, no I/O), records
    something (`record`, in the request's thread under ASGI)."""

    sync_capable = True
    async_capable = True
    url_name = ""
    method = ""
    path = ""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def wants(self, request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or (self.method and request.method != self.method):
            return False
        if not request.META.get(TERMINAL_META) or not self.also_wants(request):
            return False
        self.path = self.path or reverse(self.url_name)
        return request.path == self.path

    def also_wants(self, request: HttpRequest) -> bool:
        return True

    def record(self, request: HttpRequest) -> None:
        raise NotImplementedError

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self._acall(request)
        response = self.get_response(request)
        if self.wants(request, response):
            self.record(request)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        response = await self.get_response(request)
        if self.wants(request, response):
            await sync_to_async(self.record)(request)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    """whitenoise's middleware, async-capable: a static file is read in a thread and answered
    whole (the hub's static files are the admin's and the dashboard's, kilobytes), everything
    else goes down the chain without leaving the event loop."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse, *args: Any, **kwargs: Any) -> None:
        super().__init__(get_response, *args, **kwargs)
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        if self.autorefresh:
            static_file = await sync_to_async(self.find_file)(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is None:
            answer: Awaitable[HttpResponse] = self.get_response(request)
            return await answer
        return await sync_to_async(self._whole, thread_sensitive=False)(static_file, request)

    def _whole(self, static_file: Any, request: HttpRequest) -> HttpResponse:
        streamed = self.serve(static_file, request)
        try:
            body = b"".join(streamed) if streamed.streaming else streamed.content
        finally:
            streamed.close()
        response = HttpResponse(body, status=streamed.status_code)
        for header, value in streamed.items():
            response[header] = value
        return response
