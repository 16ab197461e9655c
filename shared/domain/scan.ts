/**
 * One discovery scan as an operation: its options, progress, summary and end, and the device events it streams.
 * The discovery service emits these; the contract reuses the same schemas.
 */
import { z } from 'zod';
import { DeviceSchema, SCAN_METHODS, ScanProblemSchema } from './discovery';

/** Options of one scan (every field optional; the service fills defaults). */
export const ScanOptionsSchema = z
  .object({
    /** Methods to run together (default: ssdp, wsd, mdns; but only the sweep and/or host probes when `sweep` or `hosts` is given). */
    methods: z.array(z.enum(SCAN_METHODS)).min(1).optional(),
    /** Interface names for the multicast methods (default: every physical interface). */
    interfaces: z.array(z.string().min(1)).optional(),
    /** CIDR range for the HTTP sweep, e.g. 192.168.0.0/24. */
    sweep: z.string().min(1).optional(),
    /** Hosts (IP or name) to probe directly with unicast M-SEARCH and HTTP (routed subnets). */
    hosts: z.array(z.string().min(1)).optional(),
    /** HTTP port of the cameras' web UI (default 80). */
    httpPort: z.number().int().min(1).max(65535).optional(),
    /** How long the multicast methods listen for answers, in ms (default 3000). */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** Repeat the scan this often (ms) until cancelled; devices unseen for 45 s go offline. */
    repeatEveryMs: z.number().int().min(5_000).max(3_600_000).optional(),
  })
  .strict();
/** Options of one scan. */
export type ScanOptions = z.infer<typeof ScanOptionsSchema>;

/** State of one scan. */
export const ScanStatusSchema = z.enum(['running', 'completed', 'cancelled', 'failed']);
/** State of one scan. */
export type ScanStatus = z.infer<typeof ScanStatusSchema>;

/** Progress counters of one scan. */
export const ScanProgressSchema = z.object({
  operationId: z.string(),
  /** Probes done / planned (multicast listening windows count as one each). */
  done: z.number().int(),
  total: z.number().int(),
  found: z.number().int(),
  phase: z.string(),
});
/** Progress counters of one scan. */
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

/** Summary of one scan (`discovery:get-state`). */
export const ScanSummarySchema = z.object({
  operationId: z.string(),
  status: ScanStatusSchema,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  progress: ScanProgressSchema,
  warnings: z.array(ScanProblemSchema),
  errors: z.array(ScanProblemSchema),
});
/** Summary of one scan. */
export type ScanSummary = z.infer<typeof ScanSummarySchema>;

/** A device found or changed; `operationId` is null outside a scan (manual add, offline marking). */
export const DeviceSeenSchema = z.object({ operationId: z.string().nullable(), device: DeviceSchema });
/** A device found or changed. */
export type DeviceSeen = z.infer<typeof DeviceSeenSchema>;

/** The end of one scan. */
export const ScanFinishedSchema = z.object({
  operationId: z.string(),
  status: ScanStatusSchema,
  cameraCount: z.number().int(),
  otherCount: z.number().int(),
  durationMs: z.number(),
  warnings: z.array(ScanProblemSchema),
  errors: z.array(ScanProblemSchema),
});
/** The end of one scan. */
export type ScanFinished = z.infer<typeof ScanFinishedSchema>;
