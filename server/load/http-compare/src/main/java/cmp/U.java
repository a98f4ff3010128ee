package cmp;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
public class U {
  public static void main(String[] a) {
    byte[] body = P.body();
    Undertow.builder().addHttpListener(Integer.parseInt(a[0]), "127.0.0.1").setIoThreads(2).setWorkerThreads(8)
      .setHandler(ex -> { ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json"); ex.getResponseSender().send(ByteBuffer.wrap(body)); })
      .build().start();
  }
}
