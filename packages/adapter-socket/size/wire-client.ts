// The wire client alone (the adapter's default connector), as it loads when chat first opens.
export { connectWireSocket } from '../src/internal/wire/wire-socket';
