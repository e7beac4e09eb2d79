/**
 * The part of an execution id that tells runs apart. Ids are version 7 UUIDs: the first 12 hex digits are the
 * millisecond they were made, the same for every run started within a minute or so; the last ones are random.
 */
export const shortId = (executionId: string): string => executionId.slice(-8);
