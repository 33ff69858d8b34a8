// The kernel's registry of open comms (for comm_info_request) and the routing of comm messages from
// the frontend to the interpreter. Unknown targets and comms are closed politely and logged.
export interface OpenComm {
  targetName: string;
}

export class CommRegistry {
  private readonly comms = new Map<string, OpenComm>();

  opened(commId: string, targetName: string): void {
    this.comms.set(commId, { targetName });
  }

  closed(commId: string): void {
    this.comms.delete(commId);
  }

  has(commId: string): boolean {
    return this.comms.has(commId);
  }

  list(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const [id, comm] of this.comms) {
      if (targetName === undefined || targetName === comm.targetName) out[id] = { target_name: comm.targetName };
    }
    return out;
  }
}
