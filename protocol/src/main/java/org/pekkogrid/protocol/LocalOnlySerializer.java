package org.pekkogrid.protocol;

import java.io.NotSerializableException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The serializer of {@link LocalOnly} messages: it writes none and reads none. Sending one to a
 * remote actor fails (Artery logs and drops it); bytes that claim to be one, under this
 * serializer's id, are dropped as undecodable. Bytes that claim to be one under jackson-cbor's id
 * are refused by Jackson itself, because the class is not bound to it.
 */
public final class LocalOnlySerializer extends SerializerWithStringManifest {

    /** Pekko reserves 0 to 40 for its own serializers. */
    public static final int ID = 7301;

    @Override
    public int identifier() {
        return ID;
    }

    @Override
    public String manifest(Object message) {
        return message.getClass().getName();
    }

    @Override
    public byte[] toBinary(Object message) {
        throw new IllegalArgumentException(new NotSerializableException(message.getClass().getName()
            + " is LocalOnly: it never leaves its node; send a message of the wire protocol instead"));
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        throw new NotSerializableException("refused a message that claims to be [" + manifest
            + "]: it is LocalOnly, no peer may send one");
    }
}
