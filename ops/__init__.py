"""Operations: liveness and readiness endpoints for load balancers, systemd and monitoring."""
