package dev.voicebus.tools.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a successful HTTP response body up to a byte limit and never buffers more: a body that
 * announces a larger {@code Content-Length}, or streams past the limit, fails with {@link
 * TooLargeException} and the connection is cancelled. Error responses (non-2xx) are not read at
 * all: their body is not used.
 */
public final class BoundedBody {

  /** A response body over the limit. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  private BoundedBody() {}

  /** A handler that yields the body of a 2xx response of at most {@code maxBytes} bytes. */
  public static HttpResponse.BodyHandler<byte[]> upTo(int maxBytes) {
    return info -> {
      if (info.statusCode() < 200 || info.statusCode() >= 300) {
        return new Subscriber(0, true, null);
      }
      OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
      if (declared.isPresent() && declared.getAsLong() > maxBytes) {
        return new Subscriber(
            maxBytes,
            true,
            new TooLargeException(
                "the response announces "
                    + declared.getAsLong()
                    + " bytes (Content-Length), more than the limit of "
                    + maxBytes));
      }
      return new Subscriber(maxBytes, false, null);
    };
  }

  /** Collects up to {@code maxBytes}; cancels at once when {@code cancelAtOnce}. */
  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final int maxBytes;
    private final boolean cancelAtOnce;
    private final TooLargeException refusal;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Subscriber(int maxBytes, boolean cancelAtOnce, TooLargeException refusal) {
      this.maxBytes = maxBytes;
      this.cancelAtOnce = cancelAtOnce;
      this.refusal = refusal;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (cancelAtOnce) {
        subscription.cancel();
        if (refusal != null) {
          body.completeExceptionally(refusal);
        } else {
          body.complete(new byte[0]);
        }
        return;
      }
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (received.size() + buffer.remaining() > maxBytes) {
          subscription.cancel();
          body.completeExceptionally(
              new TooLargeException(
                  "the response body is longer than the limit of " + maxBytes + " bytes"));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        received.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(received.toByteArray());
    }
  }
}
