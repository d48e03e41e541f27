package postgres

import (
	"net"
	"syscall"
	"time"
)

// tcpUserTimeout is TCP_USER_TIMEOUT from linux/tcp.h (the same on every
// architecture); syscall does not export it.
const tcpUserTimeout = 0x12

// dialer opens connections that give up on a silent peer: with
// TCP_USER_TIMEOUT, a query sent to a server cut off by the network fails
// once its bytes stay unacknowledged for userTimeout, instead of waiting
// out the kernel's retransmissions (about 15 minutes). A slow query is not
// affected: the server acknowledges it at once.
func dialer(connect time.Duration) *net.Dialer {
	return &net.Dialer{
		Timeout:   connect,
		KeepAlive: 15 * time.Second,
		Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpUserTimeout, int(userTimeout/time.Millisecond))
			})
			if err != nil {
				return err
			}
			return serr
		},
	}
}
