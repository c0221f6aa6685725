from __future__ import annotations

import pytest

from kiosk.slips import QR, Feed, Field, Rule, Slip, Text


@pytest.fixture
def receipt() -> Slip:
    return Slip(
        job_id="receipt:01HZX5Q7K2",
        kind="receipt",
        title="受理回执",
        blocks=(
            Text("紫金县青溪镇示范村便民服务站", align="center"),
            Text("受理回执", align="center", bold=True, scale=2),
            Rule(),
            Text("办件编号", bold=True),
            Text("XL-2024-000123", align="center", bold=True, scale=2),
            Field("办理事项", "城乡居民基本养老保险参保登记（含待遇领取资格认证）"),
            Field("申请人", "王*英"),
            Field("身份证号", "441***********0242"),
            Rule(),
            QR("https://xl.example.cn/q/XL2024000123?k=01HZX5Q7K2", caption="扫码查询办理进度"),
            Text("凭此回执在本机“进度查询”扫码，或输入办件编号查询。"),
            Feed(2),
        ),
    )
