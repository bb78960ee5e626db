package io.bandwatch.inventory.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.security.GeneralSecurityException;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** bcrypt hashing and verification (Modular Crypt Format, {@code $2a$}). CPU-bound: call on a worker thread. */
public final class Passwords {

    private static final WildFlyElytronPasswordProvider PROVIDER = new WildFlyElytronPasswordProvider();
    private static final int COST = 10;

    /** A fixed hash verified against when the user does not exist, so timing does not reveal user names. */
    private static final String DUMMY = BcryptUtil.bcryptHash("bandwatch-dummy-password", COST);

    private Passwords() {
    }

    public static String hash(String password) {
        return BcryptUtil.bcryptHash(password, COST);
    }

    public static boolean verify(String password, String hash) {
        try {
            Password raw = ModularCrypt.decode(hash == null ? DUMMY : hash);
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            BCryptPassword restored = (BCryptPassword) factory.translate(raw);
            return factory.verify(restored, password.toCharArray()) && hash != null;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
