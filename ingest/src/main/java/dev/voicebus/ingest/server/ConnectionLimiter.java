package dev.voicebus.ingest.server;

import dev.voicebus.ingest.admin.IngestMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ipfilter.AbstractRemoteAddressFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the call port's open connections, in all ({@code ingest.max-connections}) and per remote
 * address ({@code ingest.max-connections-per-address}), so that a flood of connections from one
 * host, or from many, cannot take the node's sockets and memory from the calls it holds. A
 * connection over a cap is closed as soon as it is accepted, before anything is read. Shared by all
 * connections of the listener; counts drop when a connection closes.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends AbstractRemoteAddressFilter<InetSocketAddress> {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

  private final int maxConnections;
  private final int maxPerAddress;
  private final IngestMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxConnections, int maxPerAddress, IngestMetrics metrics) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
    this.metrics = metrics;
  }

  @Override
  protected boolean accept(ChannelHandlerContext ctx, InetSocketAddress remote) {
    InetAddress address = remote.getAddress();
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return refuse("max-connections", remote);
    }
    boolean[] admitted = {false};
    byAddress.compute(
        address,
        (a, count) -> {
          AtomicInteger c = count == null ? new AtomicInteger() : count;
          admitted[0] = c.get() < maxPerAddress;
          if (admitted[0]) {
            c.incrementAndGet();
          }
          return c.get() == 0 ? null : c;
        });
    if (!admitted[0]) {
      open.decrementAndGet();
      return refuse("max-connections-per-address", remote);
    }
    ctx.channel().closeFuture().addListener(f -> release(address));
    return true;
  }

  private void release(InetAddress address) {
    open.decrementAndGet();
    byAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() == 0 ? null : c);
  }

  private boolean refuse(String limit, InetSocketAddress remote) {
    metrics.connectionRefused(limit);
    log.debug("Connection from {} refused: {}", remote, limit);
    return false;
  }

  /** Open connections on the call port. */
  public int open() {
    return open.get();
  }
}
