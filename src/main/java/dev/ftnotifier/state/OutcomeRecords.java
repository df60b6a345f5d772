package dev.ftnotifier.state;

import dev.ftnotifier.state.Outcomes.Outcome;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the outcomes ({@link Outcomes}) are kept: {@code outcomes.log} in the state folder
 * ({@link FileOutcomeRecords}), or with {@code notifier.state.store=jdbc} a table every instance
 * shares, so a digest lists what finished under the leader before too.
 */
public interface OutcomeRecords extends AutoCloseable {

    /** Every outcome kept, the first one learnt of each job. */
    List<Outcome> load();

    /** Keeps the outcome unless one of the job is kept already. */
    void add(Outcome outcome);

    /** True when other instances add outcomes too: {@link #load()} is read again before a digest. */
    boolean shared();

    /**
     * Drops what is older than {@code cutoff} (null: nothing) and keeps what {@code kept} gives, which is
     * asked while no outcome can be added; returns how many records fewer there are.
     */
    int prune(Instant cutoff, Supplier<Collection<Outcome>> kept);

    @Override
    void close();
}
