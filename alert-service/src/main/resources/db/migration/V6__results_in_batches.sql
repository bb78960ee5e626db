-- check.results are evaluated in polled batches (EvaluationService): the consumed position of each partition is
-- stored with the batch's state changes, in the same transaction, instead of one message_log row per result.
-- A batch commits only when the stored position is the one its consumer started from, so a replica that lost the
-- partition (rebalance) cannot commit after the new owner.
CREATE TABLE consumer_offset (
    group_id     VARCHAR(255) NOT NULL,
    topic        VARCHAR(249) NOT NULL,
    partition    INT          NOT NULL,
    next_offset  BIGINT       NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, partition)
);

-- The evaluator keeps the settings of the devices of its partitions in memory. Every other writer of a check's
-- settings (API, inventory projections) first raises the check's revision, which takes the check's row lock: the
-- evaluator reads the revisions of a batch's checks FOR SHARE and reloads a device whose revisions changed.
ALTER TABLE monitored_check ADD COLUMN settings_revision BIGINT NOT NULL DEFAULT 0;
