package dev.onhand.platform.leader;

/**
 * Fired (a CDI event) when this replica starts or stops leading. Observers run on a thread of their
 * own, never on the election's, and in the order of the changes; a long observer delays later
 * notifications, not the Lease's renewal. Before each unit of leader-only work, ask {@link
 * Leadership#isLeader()}: it is the authority, this event only says that it changed.
 *
 * @param leader whether this replica leads now
 * @param lease the Lease's name
 * @param identity this replica's identity in the Lease
 */
public record LeadershipChanged(boolean leader, String lease, String identity) {}
