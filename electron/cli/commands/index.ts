/** Every `sarix` command, in the order `--help` lists them. Each module exports `register(program)`. */
import type { Command } from 'commander';
import { register as demo } from './demo';
import { register as sim } from './sim';
import { register as discover } from './discover';
import { register as commission } from './commission';
import { register as rollback } from './rollback';
import { register as capture } from './capture';
import { register as relay } from './relay';
import { register as doctor } from './doctor';
import { register as findSmtp } from './find-smtp';
import { register as serve } from './serve';
import { register as report } from './report';
import { register as site } from './site';
import { register as supportBundle } from './support-bundle';

/** A function that adds one command to the program and returns it. */
export type CommandRegistration = (program: Command) => Command;

/** The registered commands. */
export const commandRegistrations: CommandRegistration[] = [demo, sim, discover, commission, rollback, capture, relay, doctor, findSmtp, report, site, serve, supportBundle];
