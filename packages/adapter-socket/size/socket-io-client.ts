// socket.io-client alone, as the socket adapter loads it when chat first opens.
export { io } from 'socket.io-client';
