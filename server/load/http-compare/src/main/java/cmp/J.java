package cmp;
import org.eclipse.jetty.server.*;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.http.HttpHeader;
import java.nio.ByteBuffer;
public class J {
  public static void main(String[] a) throws Exception {
    byte[] body = P.body();
    Server s = new Server(new QueuedThreadPool(16));
    ServerConnector c = new ServerConnector(s); c.setHost("127.0.0.1"); c.setPort(Integer.parseInt(a[0])); s.addConnector(c);
    s.setHandler(new Handler.Abstract() { public boolean handle(Request r, Response res, Callback cb) {
      res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json"); res.write(true, ByteBuffer.wrap(body), cb); return true; }});
    s.start();
  }
}
