"""Stock: a batch's on_hand_qty equals the running sum of its inventory movements
(quantity_after of the last one, by created_at then id; 0 without movements), each
movement continues the one before it, quantities never go negative, and every unit a
sale sold left its batch through a SALE movement of that order."""

from seed_data.validation.model import Rule

_SOLD = (
    "select li.order_id, li.batch_id, sum(li.quantity) as quantity "
    "from order_line_items li join orders o on o.id = li.order_id "
    "where o.order_type = 'SALE' and not o.is_draft "
    "and o.sale_status is distinct from 'CANCELLED' group by li.order_id, li.batch_id"
)
_MOVED = (
    "select reference_id as order_id, batch_id, -sum(quantity_change) as quantity "
    "from inventory_movements where movement_type = 'SALE' and reference_type = 'ORDER' "
    "group by reference_id, batch_id"
)

RULES = (
    Rule.over(
        "movement_arithmetic",
        "inventory_movements",
        (),
        "quantity_after = quantity_before + quantity_change",
        "select id from inventory_movements "
        "where quantity_after <> quantity_before + quantity_change",
    ),
    Rule.over(
        "movement_chain",
        "inventory_movements",
        (),
        "each movement starts where the batch's previous one ended (the first from 0)",
        "select id from (select id, quantity_before, lag(quantity_after) over "
        "(partition by batch_id order by created_at, id) as previous "
        "from inventory_movements) m where quantity_before <> coalesce(previous, 0)",
    ),
    Rule.over(
        "no_negative_stock",
        "inventory_movements",
        (),
        "a batch's stock never goes negative",
        "select id from inventory_movements where quantity_before < 0 or quantity_after < 0",
    ),
    Rule.over(
        "batch_on_hand_matches_movements",
        "batches",
        ("inventory_movements",),
        "on_hand_qty = quantity_after of the batch's last movement (0 without movements)",
        # each batch's last movement in one sorted pass (a lateral subquery per batch
        # rescans the movements when validation reads them as seeded rows only)
        "select b.id from batches b left join (select distinct on (batch_id) batch_id, "
        "quantity_after from inventory_movements order by batch_id, created_at desc, id desc) "
        "last on last.batch_id = b.id where b.on_hand_qty <> coalesce(last.quantity_after, 0)",
    ),
    Rule.over(
        "sales_move_stock",
        "orders",
        ("order_line_items", "inventory_movements"),
        "each confirmed sale's lines leave their batches as SALE movements of that order, "
        "quantity for quantity",
        f"select order_id as id from ({_SOLD}) sold full join ({_MOVED}) moved "
        "using (order_id, batch_id) where sold.quantity is distinct from moved.quantity",
    ),
    Rule.over(
        "unsold_orders_move_no_stock",
        "orders",
        ("inventory_movements",),
        "quotes, draft and cancelled orders move no stock",
        "select o.id from orders o where (o.order_type = 'QUOTE' or o.is_draft "
        "or o.sale_status = 'CANCELLED') and exists (select 1 from inventory_movements m "
        "where m.reference_type = 'ORDER' and m.reference_id = o.id "
        "and m.movement_type = 'SALE')",
    ),
    Rule.over(
        "returns_match_sales",
        "inventory_movements",
        ("order_line_items",),
        "goods a buyer returns (REFUND_RETURN) come back from an order that sold them from "
        "that batch, no more than it sold",
        # what each returned order sold per batch, summed once (not per return)
        "select m.id from inventory_movements m left join (select li.order_id, li.batch_id, "
        "sum(li.quantity) as sold from order_line_items li where li.order_id in (select "
        "reference_id from inventory_movements where movement_type = 'REFUND_RETURN') "
        "group by li.order_id, li.batch_id) s "
        "on s.order_id = m.reference_id and s.batch_id = m.batch_id "
        "where m.movement_type = 'REFUND_RETURN' and (m.reference_type is distinct from "
        "'ORDER' or m.quantity_change <= 0 or m.quantity_change > coalesce(s.sold, 0))",
    ),
    Rule.over(
        "no_negative_batch_locations",
        "batch_locations",
        (),
        "a location holds a non-negative quantity",
        "select id from batch_locations where qty < 0",
    ),
)
