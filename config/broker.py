"""kombu's Redis transport, with one fix: a worker survives Redis going away while it holds
unacknowledged messages.

Celery 5.7 closes the broker connection once more after losing it, when kombu has already
detached the transport; closing the channel then tries to put the worker's unacknowledged
messages back through that detached transport, fails with AttributeError, and the worker exits
("Unrecoverable error"). Skipping that restore is safe: the messages are still in Redis's
unacked set if Redis kept them, and the visibility timeout gives them back to a worker; if it
did not keep them, the outbox relay sends their jobs again (tests/faults/test_redis_restart.py).
"""

from kombu.transport import redis


class Channel(redis.Channel):
    def close(self) -> None:
        if not self.closed and self.connection.client is None:  # detached: nothing to restore with
            self.do_restore = False
        super().close()


class Transport(redis.Transport):
    Channel = Channel
