import { EventEmitter } from "node:events";
import { and, asc, eq, gt } from "drizzle-orm";
import type { StudioDb } from "../../db/client";
import { runEvents } from "../../db/schema";
import type { RunEvent } from "../api-types";

export interface StoredRunEvent {
  id: number;
  event: RunEvent;
}

/**
 * Run events are written to SQLite (so a client can resume from any event id, even after a
 * restart) and fanned out in memory to live subscribers.
 */
export class RunEventLog {
  private readonly emitter = new EventEmitter();

  constructor(private readonly db: StudioDb) {
    this.emitter.setMaxListeners(0);
  }

  publish(runId: number, event: RunEvent): StoredRunEvent {
    const nodeId = event.type === "node" ? event.node.nodeId : event.type === "log" ? event.log.nodeId : null;
    const row = this.db
      .insert(runEvents)
      .values({ runId, nodeId, type: event.type, payload: event })
      .returning({ id: runEvents.id })
      .get();
    const stored = { id: row.id, event };
    if (event.type === "log") stored.event = { type: "log", log: { ...event.log, id: row.id } };
    this.emitter.emit(`run:${runId}`, stored);
    return stored;
  }

  since(runId: number, afterId: number): StoredRunEvent[] {
    return this.db
      .select({ id: runEvents.id, payload: runEvents.payload })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), gt(runEvents.id, afterId)))
      .orderBy(asc(runEvents.id))
      .all()
      .map((row) => withId(row.id, row.payload as RunEvent));
  }

  /**
   * Past events after `afterId`, then live ones, until `isFinished` says the run is over or the
   * signal aborts. Listening starts before the replay so nothing falls between the two.
   */
  async *follow(runId: number, afterId: number, isFinished: () => boolean, signal?: AbortSignal): AsyncGenerator<StoredRunEvent> {
    const buffered: StoredRunEvent[] = [];
    let wake: (() => void) | null = null;
    const listener = (event: StoredRunEvent) => {
      buffered.push(event);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.emitter.on(`run:${runId}`, listener);
    signal?.addEventListener("abort", onAbort);
    try {
      let last = afterId;
      for (const event of this.since(runId, afterId)) {
        last = event.id;
        yield event;
      }
      while (!signal?.aborted) {
        while (buffered.length) {
          const event = buffered.shift()!;
          if (event.id <= last) continue;
          last = event.id;
          yield event;
        }
        if (isFinished()) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      this.emitter.off(`run:${runId}`, listener);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

function withId(id: number, event: RunEvent): StoredRunEvent {
  return { id, event: event.type === "log" ? { type: "log", log: { ...event.log, id } } : event };
}
