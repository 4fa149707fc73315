"""Council reports assistant: retrieval, cited answers and backends over Dutch EU Council reports."""
