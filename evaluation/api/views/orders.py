"""Rectification orders API: a project's orders (the province issues them), one order, and its moves."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, WRITE_ERRORS, DecimalBodyParser

from ... import selectors, services
from ...models import RectificationOrder
from ...permissions import can_supervise
from ...services.common import require
from ...workflow import ORDER
from ..serializers import (
    ORDER_ACTIONS,
    OrderDetailOutputSerializer,
    OrderIssueInputSerializer,
    OrderOutputSerializer,
    OrderTransitionInputSerializer,
)


def order_actions(user: Any, order: RectificationOrder) -> list[dict[str, str]]:
    """What ``user`` may do with the order now (the ``ORDER`` machine's moves for its role)."""
    return [
        {"action": t.verb, "label": str(ORDER_ACTIONS[t.verb])}
        for t in ORDER.actions_for(user, order)
        if t.verb in ORDER_ACTIONS
    ]


def order_response(
    request: Request, order: RectificationOrder, *, status_code: int = status.HTTP_200_OK
) -> Response:
    context = {"request": request, "actions": order_actions(request.user, order)}
    return Response(OrderDetailOutputSerializer(order, context=context).data, status=status_code)


class ProjectOrderListApi(APIView):
    """The project's rectification orders, newest first; the province issues new ones."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(responses={200: OrderOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        orders = selectors.orders(project).select_related("project__park", "issued_by")
        return Response(OrderOutputSerializer(orders, many=True, context={"request": request}).data)

    @extend_schema(
        request=OrderIssueInputSerializer,
        responses={201: OrderDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "The province orders the park to rectify by a deadline (today or later); a project under "
            "construction goes under rectification. 400 names each missing field; an accepted or removed "
            "project: 400."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        serializer = OrderIssueInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_issue(by=request.user, project=project, **serializer.validated_data)
        order = selectors.order_get_for_user(user=request.user, pk=order.pk)
        return order_response(request, order, status_code=status.HTTP_201_CREATED)


class OrderDetailApi(APIView):
    """One rectification order, with what the caller may do with it now."""

    @extend_schema(responses={200: OrderDetailOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return order_response(request, selectors.order_get_for_user(user=request.user, pk=pk))


class OrderTransitionApi(APIView):
    """``answer`` (the park), ``close``, ``return`` with a new deadline, and on an overdue order
    ``extend_deadline`` or ``escalate`` (the province)."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=OrderTransitionInputSerializer,
        responses={200: OrderDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "answer: the park's staff, from issued or overdue, with answer. close: the province, from "
            "answered; the last open order closing ends the rectification. return: the province, from "
            "answered, with comment and a new deadline. extend_deadline: the province, from overdue, with "
            "comment (the reason) and a deadline after today; the order is issued again and the missed "
            "deadline kept in the event's changes. escalate: the province, from overdue, with comment and "
            "document_no; the park is removed from the construction list with the order named as the "
            "reason. 403: the caller's role may not take the action; "
            "400: the order's state does not allow it, or a required field is missing."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        serializer = OrderTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        action = data["action"]
        require(ORDER.may_take(request.user, order, ORDER.get(action)))
        if action == "answer":
            services.order_answer(by=request.user, order=order, answer=data["answer"])
        elif action == "close":
            services.order_close(by=request.user, order=order, comment=data["comment"])
        elif action == "return":
            services.order_return(
                by=request.user, order=order, comment=data["comment"], deadline=data["deadline"]
            )
        elif action == "extend_deadline":
            services.order_extend_deadline(
                by=request.user, order=order, comment=data["comment"], deadline=data["deadline"]
            )
        else:
            services.order_escalate(
                by=request.user, order=order, comment=data["comment"], document_no=data["document_no"]
            )
        return order_response(request, selectors.order_get_for_user(user=request.user, pk=pk))
