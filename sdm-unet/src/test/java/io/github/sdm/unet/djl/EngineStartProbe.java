package io.github.sdm.unet.djl;

import io.github.sdm.core.StableDiffusion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link EngineStartTest}, so that it sees the engine's first start: loads the model
 * in its argument with every socket refused and reported ({@code socket opened: ...} on stdout), then prints
 * DJL's network switches as the load left them.
 */
public final class EngineStartProbe {
    private EngineStartProbe() {
    }

    public static void main(String[] args) throws IOException {
        Socket.setSocketImplFactory(RefusedSocket::new);
        try (StableDiffusion sd = StableDiffusion.load(Path.of(args[0]))) {
            System.out.println("loaded");
        }
        System.out.println(DjlEngineSetup.OFFLINE + "=" + System.getProperty(DjlEngineSetup.OFFLINE));
        System.out.println(DjlEngineSetup.OPT_OUT_TRACKING + "=" + System.getProperty(DjlEngineSetup.OPT_OUT_TRACKING));
    }

    /** A socket that reports its creation, with the code that asked for it, and refuses to connect. */
    private static final class RefusedSocket extends SocketImpl {
        RefusedSocket() {
            // the code outside the JDK that asked for it
            StringBuilder caller = new StringBuilder();
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                String name = frame.getClassName();
                if (!name.startsWith("java.") && !name.startsWith("sun.") && !name.startsWith(getClass().getName())
                        && caller.length() < 400) {
                    caller.append(" <- ").append(frame);
                }
            }
            System.out.println("socket opened:" + caller);
        }

        private static IOException refused() {
            return new IOException("no network during a load");
        }

        @Override
        protected void create(boolean stream) {
        }

        @Override
        protected void connect(String host, int port) throws IOException {
            System.out.println("socket opened: connect to " + host + ":" + port);
            throw refused();
        }

        @Override
        protected void connect(InetAddress address, int port) throws IOException {
            System.out.println("socket opened: connect to " + address + ":" + port);
            throw refused();
        }

        @Override
        protected void connect(SocketAddress address, int timeout) throws IOException {
            System.out.println("socket opened: connect to " + address);
            throw refused();
        }

        @Override
        protected void bind(InetAddress host, int port) throws IOException {
            throw refused();
        }

        @Override
        protected void listen(int backlog) throws IOException {
            throw refused();
        }

        @Override
        protected void accept(SocketImpl s) throws IOException {
            throw refused();
        }

        @Override
        protected InputStream getInputStream() throws IOException {
            throw refused();
        }

        @Override
        protected OutputStream getOutputStream() throws IOException {
            throw refused();
        }

        @Override
        protected int available() {
            return 0;
        }

        @Override
        protected void close() {
        }

        @Override
        protected void sendUrgentData(int data) throws IOException {
            throw refused();
        }

        @Override
        public void setOption(int optID, Object value) {
        }

        @Override
        public Object getOption(int optID) {
            return null;
        }
    }
}
