/**
 * Event ranges of the jobs created by a job split (adaptive.md §15 steps 2 and 7).
 *
 * Fixes reference bug §20 item 13: the reference gave every new job exactly
 * `events_per_job // multiplier` events, so when the old events per job were not
 * divisible by the multiplier the events at the end of the range were never assigned
 * (old jobs 11–15 and 16–20 split by 4 covered only 11–18). Here the last new job also
 * takes the tail, so every event of the old range is assigned exactly once.
 */

/** One new job's event range (inclusive) and its event count. */
export interface EventRange {
  first: number;
  last: number;
  eventsPerJob: number;
}

/**
 * The event range of the old jobs, from their `arguments` lines: the smallest
 * `--first-event` and largest `--last-event`. When either is missing everywhere, the
 * range starts at 1 and spans `nOld × newEventsPerJob × multiplier` events.
 */
export function oldEventRange(
  argumentLines: readonly string[],
  newEventsPerJob: number,
  multiplier: number,
): { first: number; last: number } {
  const firsts: number[] = [];
  const lasts: number[] = [];
  for (const args of argumentLines) {
    const f = /--first-event\s+(\d+)/.exec(args);
    if (f) firsts.push(Number(f[1]));
    const l = /--last-event\s+(\d+)/.exec(args);
    if (l) lasts.push(Number(l[1]));
  }
  if (firsts.length > 0 && lasts.length > 0) {
    return { first: Math.min(...firsts), last: Math.max(...lasts) };
  }
  return { first: 1, last: argumentLines.length * newEventsPerJob * multiplier };
}

/**
 * Ranges of `numJobs` consecutive jobs of `eventsPerJob` events from `first`, never past
 * `last`; the last job is extended to `last` so that no event is lost.
 */
export function splitEventRanges(
  first: number,
  last: number,
  numJobs: number,
  eventsPerJob: number,
): EventRange[] {
  const out: EventRange[] = [];
  for (let i = 0; i < numJobs; i++) {
    const fe = first + i * eventsPerJob;
    let le = Math.min(fe + eventsPerJob - 1, last);
    let count = eventsPerJob;
    if (i === numJobs - 1 && le < last) {
      le = last;
      count = le - fe + 1;
    }
    out.push({ first: fe, last: le, eventsPerJob: count });
  }
  return out;
}
