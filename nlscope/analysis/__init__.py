"""Analysis over decoded messages: transactions, display filters, statistics, export."""
