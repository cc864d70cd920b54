"""`zhiku demo` sets up a working instance with Chinese and English works, idempotently."""
import sqlalchemy as sa

from repository.extensions import db
from repository.models import OrgUnit, Person, Work


def test_demo_loads_once_and_serves_works(runner, client):
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "8 new" in result.output
    assert db.session.execute(sa.select(sa.func.count()).select_from(Work).filter_by(status="verified")).scalar_one() == 8
    assert db.session.execute(sa.select(sa.func.count()).select_from(OrgUnit)).scalar_one() == 6
    assert db.session.execute(sa.select(sa.func.count()).select_from(Person)).scalar_one() == 5

    again = runner.invoke(args=["demo", "--no-serve"])
    assert "0 new, 0 updated, 0 merged, 8 unchanged, 0 failed" in again.output

    page = client.get("/?lang=zh").get_data(as_text=True)
    assert "基于深度学习的化工过程故障诊断方法研究" in page
    assert "Selective hydrogenation of CO2 to methanol over In2O3/ZrO2 catalysts" in page
