package io.github.sparkmesos.executor;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.util.Log;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The executor's subscription to its agent: SUBSCRIBE, the event stream, and what happens when it
 * breaks. Before the first SUBSCRIBED it retries until the agent's registration timeout. After it,
 * without checkpointing the agent will not take the executor back, so the session is lost at once;
 * with checkpointing it re-subscribes after a random backoff up to MESOS_SUBSCRIPTION_BACKOFF_MAX,
 * until MESOS_RECOVERY_TIMEOUT from the first disconnection. Every method runs on the executor's
 * loop thread; the stream is read on a thread of its own that posts each event to the loop.
 */
final class AgentSession {

  /** The agent's default --executor_registration_timeout. */
  static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(1);

  /** What the executor does with the session; called on the loop thread. */
  interface Listener {
    /** The SUBSCRIBE to send now: unacknowledged updates and tasks. */
    Call.Subscribe.Builder subscribeCall();

    /** SUBSCRIBED arrived; {@code replayed} are the UUIDs of the updates its SUBSCRIBE carried. */
    void subscribed(Event.Subscribed subscribed, Set<ByteString> replayed);

    void event(Event event);

    /** The subscription broke; updates wait for the next one. */
    void disconnected();

    /** The agent is gone for good, or never came: the executor must end its tasks and leave. */
    void lost(String reason);
  }

  private final AgentEnvironment agentEnv;
  private final AgentConnection agent;
  private final Calls calls;
  private final Timers timers;
  private final Consumer<Runnable> loop;
  private final Listener listener;
  private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "subscriber");
    t.setDaemon(true);
    return t;
  });
  private final Instant registrationDeadline;

  private int attempt;
  private boolean subscribed;
  private boolean everSubscribed;
  private boolean lost;
  private AgentConnection.Subscription subscription;
  private Timers.Scheduled recoveryTimer;

  AgentSession(AgentEnvironment agentEnv, AgentConnection agent, Calls calls, Timers timers, Consumer<Runnable> loop,
      Listener listener) {
    this.agentEnv = agentEnv;
    this.agent = agent;
    this.calls = calls;
    this.timers = timers;
    this.loop = loop;
    this.listener = listener;
    this.registrationDeadline = timers.now().plus(REGISTRATION_TIMEOUT);
  }

  boolean subscribed() {
    return subscribed;
  }

  /** Sends SUBSCRIBE; its outcome comes back to the loop. */
  void subscribe() {
    int mine = ++attempt;
    Call.Subscribe.Builder payload = listener.subscribeCall();
    Set<ByteString> replayed = new HashSet<>();
    payload.getUnacknowledgedUpdatesList().forEach(u -> replayed.add(u.getStatus().getUuid()));
    Call call = calls.of(Call.Type.SUBSCRIBE).setSubscribe(payload).build();
    reader.submit(() -> read(mine, call, replayed));
  }

  /** On the reader thread: SUBSCRIBE, then every event of the stream, each posted to the loop. */
  private void read(int mine, Call call, Set<ByteString> replayed) {
    AgentConnection.Subscription s;
    try {
      s = agent.subscribe(call);
    } catch (IOException | RuntimeException e) {
      loop.accept(() -> subscribeFailed(mine, e));
      return;
    }
    loop.accept(() -> {
      if (mine == attempt && !lost) {
        subscription = s;
      } else {
        s.close();
      }
    });
    String reason;
    try {
      Event event;
      while ((event = s.next()) != null) {
        Event e = event;
        loop.accept(() -> onEvent(mine, replayed, e));
      }
      reason = "the agent closed the event stream";
    } catch (IOException | RuntimeException e) {
      reason = "the event stream broke: " + e.getMessage();
    }
    String why = reason;
    loop.accept(() -> disconnected(mine, why));
  }

  private void onEvent(int which, Set<ByteString> replayed, Event event) {
    if (which != attempt || lost) {
      return;
    }
    if (event.getType() == Event.Type.SUBSCRIBED) {
      subscribed = true;
      everSubscribed = true;
      if (recoveryTimer != null) {
        recoveryTimer.cancel();
        recoveryTimer = null;
      }
      listener.subscribed(event.getSubscribed(), replayed);
    } else {
      listener.event(event);
    }
  }

  private void subscribeFailed(int which, Exception error) {
    if (which != attempt || lost) {
      return;
    }
    boolean retryable = !(error instanceof AgentConnection.RejectedException r) || r.retryable();
    if (!retryable) {
      lose("the agent refused SUBSCRIBE: " + error.getMessage());
    } else if (!everSubscribed) {
      if (!timers.now().isBefore(registrationDeadline)) {
        lose("could not subscribe within " + REGISTRATION_TIMEOUT.toSeconds() + "s: " + error.getMessage());
      } else {
        Log.info("SUBSCRIBE not accepted yet (" + error.getMessage() + "); retrying");
        retryLater();
      }
    } else {
      recover(error.getMessage());
    }
  }

  private void disconnected(int which, String reason) {
    if (which != attempt || lost) {
      return;
    }
    subscribed = false;
    subscription = null;
    if (!everSubscribed) {
      subscribeFailed(which, new IOException(reason));
      return;
    }
    Log.warn("disconnected from the agent: " + reason);
    listener.disconnected();
    recover(reason);
  }

  private void recover(String reason) {
    if (!agentEnv.checkpoint()) {
      lose("checkpointing is off, so the agent will not take this executor back");
      return;
    }
    if (recoveryTimer == null) {
      recoveryTimer = timers.schedule(agentEnv.recoveryTimeout(), () -> loop.accept(() -> {
        if (!subscribed && !lost) {
          lose("no agent within MESOS_RECOVERY_TIMEOUT (" + agentEnv.recoveryTimeout() + ")");
        }
      }));
      Log.info("recovering: giving up after MESOS_RECOVERY_TIMEOUT (" + agentEnv.recoveryTimeout() + ")");
    }
    Log.info("re-subscribing (" + reason + ")");
    retryLater();
  }

  /** Uniform in [0, MESOS_SUBSCRIPTION_BACKOFF_MAX], as the reference library. */
  private void retryLater() {
    long max = Math.max(1, agentEnv.subscriptionBackoffMax().toMillis());
    Duration wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(max + 1));
    Log.info("next SUBSCRIBE in " + wait.toMillis() + " ms");
    timers.schedule(wait, () -> loop.accept(() -> {
      if (!lost && !subscribed) {
        subscribe();
      }
    }));
  }

  private void lose(String reason) {
    lost = true;
    subscribed = false;
    listener.lost(reason);
  }

  void close() {
    lost = true;
    if (subscription != null) {
      subscription.close();
    }
    reader.shutdownNow();
  }
}
