"""The enclave hotline (飞地热线): answer, accept, route and supervise service tickets."""
