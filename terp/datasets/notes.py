"""Short operational note texts for the `notes` columns, grouped by the table they suit.

Sources:
- Hand-written for this project, from public knowledge of wholesale cannabis
  operations (intake, lab testing, storage, delivery, collections).
- Marked "TERP" below, taken verbatim from the public repository EvanTenenbaum/TERP:
  CLIENT_NOTES from `scripts/generators/comments-notes.ts` (`NOTE_TEMPLATES`);
  VENDOR_NOTES from the same file (vendor notes) and from the `specialty` texts of
  `scripts/seed/seeders/seed-vendors.ts`; ORDER_NOTES from
  `server/db/seed/seedData/orders.json`; RETURN_REASONS and REFUND_REASONS from
  `scripts/generators/returns-refunds.ts`.

Why it is safe: the notes columns are free text that may hold PII in real data, so these
texts name no person, company, phone, e-mail, address or licence number; "the buyer",
"the vendor" and dock or zone letters stand in for anything specific. They are literal
texts, not templates: nothing is substituted into them.
"""

LOT_NOTES: tuple[str, ...] = (
    "COA on file",
    "COA pending from lab",
    "Arrived in sealed totes, no damage",
    "Intake weight verified against manifest",
    "Manifest count matches received count",
    "One tote short on manifest; vendor notified",
    "Moisture within spec at intake",
    "Re-test requested for moisture",
    "Received on consignment",
    "Paid COD at intake",
    "Trim quality checked at intake",
    "Vendor reports 21-day cure",
    "Track-and-trace tags applied",
    "Delivered to receiving bay",
    "Held in receiving pending lab results",
    "Pallet wrapped, labels intact",
    "Harvest date confirmed with vendor",
    "Split into batches by grade",
)

BATCH_NOTES: tuple[str, ...] = (
    "Photographed for catalog",
    "Samples pulled for buyers",
    "Quarantined pending re-test",
    "Released from quarantine after passing re-test",
    "On hold for QA review",
    "Repackaged into 1 lb bags",
    "Labels reprinted",
    "Moved to cold storage",
    "Moved to Zone B",
    "Cycle count matches system",
    "Cycle count adjustment recorded",
    "Minor shrink after repack",
    "Terpene report on file",
    "Priced for volume buyers",
    "Last units reserved for open quote",
)

# Order notes by the order's state, so a note never contradicts its order: a quote's notes
# talk about the offer, a sale's about delivery; the conditional ones are drawn only where
# they hold (a converted sale, a COD sale, a sale with edibles).
QUOTE_NOTES: tuple[str, ...] = (
    # TERP
    "Requested terpene report",
    "Priority customer",
    # hand-written
    "Quote valid for 7 days",
    "Pricing held until end of week",
    "Buyer checking shelf space before confirming",
)
SALE_NOTES: tuple[str, ...] = (
    # TERP
    "Requested terpene report",
    "Priority customer",
    "Standard shipping",
    # hand-written
    "Delivered to loading dock B",
    "Deliver before noon",
    "Buyer to pick up at warehouse",
    "Include COAs with delivery",
    "Split delivery approved",
    "Pack by strain, label each bag",
    "Second delivery window requested",
    "Payment terms confirmed by finance",
)
CONVERTED_NOTE = "Converted from quote"
COD_NOTE = "Hold until payment clears"
EDIBLES_NOTE = "Cold chain required for edibles"
ORDER_NOTES: tuple[str, ...] = tuple(
    dict.fromkeys((*QUOTE_NOTES, *SALE_NOTES, CONVERTED_NOTE, COD_NOTE, EDIBLES_NOTE))
)

CLIENT_NOTES: tuple[str, ...] = (
    # TERP
    "Great customer, always pays on time",
    "Prefers delivery on Tuesdays",
    "Interested in new strains",
    "Request for bulk discount",
    "Follow up on pending order",
    "Quality concerns addressed",
    "Positive feedback on recent delivery",
    "Requested product samples",
    "Negotiating payment terms",
    "VIP customer - priority service",
    # hand-written
    "Receiving hours 9 to 4, weekdays",
    "Requires COA with every delivery",
    "Credit limit reviewed this quarter",
    "Prefers outdoor flower for value line",
)

VENDOR_NOTES: tuple[str, ...] = (
    # TERP, vendor notes
    "Reliable supplier, consistent quality",
    "Occasional delays in delivery",
    "Excellent pricing on bulk orders",
    "New strains available next month",
    "Prefers ACH payment",
    "Contact for special requests",
    # TERP, vendor specialties
    "Premium flower",
    "Outdoor specialist",
    "Legacy cultivator",
    "Organic certified",
    "Mountain grown",
    "Large scale greenhouse",
    "Sun-grown cannabis",
    "Bulk wholesale",
    "Craft cannabis",
    # hand-written
    "Consignment terms, settle monthly",
    "Harvest expected in October",
    "Lab results usually within a week",
)

PAYMENT_NOTES: tuple[str, ...] = (
    "Paid in full",
    "Partial payment, balance on next delivery",
    "Applied to oldest open invoice",
    "Check deposited",
    "Wire received",
    "ACH cleared",
    "Cash counted twice and logged",
    "Short-paid; difference disputed",
    "Consignment settlement",
    "Overpayment credited to account",
)

INVENTORY_MOVEMENT_NOTES: tuple[str, ...] = (
    "Initial intake",
    "Sold via order",
    "Sample pulled for buyer",
    "Returned by buyer",
    "Cycle count adjustment",
    "Damaged in handling",
    "Failed re-test, disposed",
    "Moved to quarantine",
    "Released from quarantine",
    "Transferred to secondary warehouse",
    # hand-written: ageing stock cleared out
    "Unsold after five months, returned to consignor",
    "Aged out unsold, written off",
    "Returned goods could not be restocked, disposed",
)

# TERP, scripts/generators/returns-refunds.ts
RETURN_REASONS: tuple[str, ...] = (
    "Product quality issue",
    "Wrong product shipped",
    "Damaged in transit",
    "Customer changed mind",
    "Product did not meet expectations",
)

# TERP, scripts/generators/returns-refunds.ts
REFUND_REASONS: tuple[str, ...] = (
    "Pricing error",
    "Promotional discount applied late",
    "Customer satisfaction adjustment",
    "Billing error",
    "Goodwill gesture",
)
