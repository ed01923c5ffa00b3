// Preloaded (node --import) into child processes that claimflow starts with an IPC channel: when the
// parent goes away, even killed outright, the channel closes and the child stops itself instead of
// living on as an orphan holding its port.
if (typeof process.send === 'function' && process.channel) {
  process.channel.unref(); // the channel alone must not keep the child alive
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
