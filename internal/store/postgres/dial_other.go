//go:build !linux

package postgres

import (
	"net"
	"time"
)

// dialer opens connections with keepalives; TCP_USER_TIMEOUT is Linux's.
func dialer(connect time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: connect, KeepAlive: 15 * time.Second}
}
