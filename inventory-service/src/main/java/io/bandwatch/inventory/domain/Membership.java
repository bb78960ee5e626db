package io.bandwatch.inventory.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

@Entity
@Table(name = "membership")
@IdClass(Membership.Key.class)
public class Membership {
    @Id
    @Column(name = "user_id")
    public UUID userId;
    @Id
    @Column(name = "organization_id")
    public UUID organizationId;
    /** owner, operator or viewer. */
    public String role;

    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public UUID userId;
        public UUID organizationId;

        public Key() {
        }

        public Key(UUID userId, UUID organizationId) {
            this.userId = userId;
            this.organizationId = organizationId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(organizationId, k.organizationId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, organizationId);
        }
    }
}
