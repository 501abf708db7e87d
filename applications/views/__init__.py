"""HTML views by area; each module lists its routes in ``urls`` and ``applications.urls`` joins them."""
