// The kernel's on/off environment switches (TSLOOP_TYPECHECK, TSLOOP_TIMELINE, TSLOOP_HISTORY, TSLOOP_SNAPSHOT,
// TSLOOP_MAGLEV): one spelling of "off" and of "on" for all of them. Unset or any other value is the default.

/** `0`, `off`, `false` or `no`, in any case. */
export function switchedOff(value: string | undefined): boolean {
  return /^(0|off|false|no)$/i.test(value ?? "");
}

/** `1`, `on`, `true` or `yes`, in any case. */
export function switchedOn(value: string | undefined): boolean {
  return /^(1|on|true|yes)$/i.test(value ?? "");
}
