"""The intake use cases, one module per area: `cases` (cases, moves, the ledger's lines),
`meetings` (the three ones and the missed-meeting sweep), `zone` (R&D demands and the menu),
`reports` (the ledger document, the stats, the wall); `rows` (what the areas share: a
new record entered with its event, a page of a table's rows in their stable order).

Keyword-only functions over an `OutboxSession`, called by routes, consumers and jobs alike;
writes record their events with `session.record(...)`; they never commit."""
