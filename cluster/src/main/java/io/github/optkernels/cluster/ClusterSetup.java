package io.github.optkernels.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * What members and clients of a cluster that holds sharded optimizers need in their configuration:
 * this library's serializers (Hazelcast's {@code IdentifiedDataSerializable}, so arrays travel as
 * arrays and nothing falls back to Java serialization), and on members the configuration of the
 * optimizers' maps: entries kept as objects (the step runs in place, without deserializing and
 * serializing a shard's parameters and state) with synchronous backups.
 *
 * <pre>{@code
 * Config config = new Config();
 * ClusterSetup.configureMember(config, 1);   // one backup of every shard
 * HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
 *
 * ClientConfig client = new ClientConfig();
 * ClusterSetup.configureClient(client);
 * HazelcastInstance worker = HazelcastClient.newHazelcastClient(client);
 * }</pre>
 *
 * <p>Members also need the spec's generated classes (the optimizer and its kernels) on their class
 * path: the owner of a shard builds the kernel by name.
 */
public final class ClusterSetup {
  /** The factory id of this library's serializable classes (an arbitrary constant, unique per cluster). */
  public static final int FACTORY_ID = 0x4F50544B; // "OPTK"
  /** Every optimizer's map is named with this prefix and the optimizer's name. */
  public static final String MAP_PREFIX = "optkernels.";

  static final int SHARD = 1;
  static final int CONTRIBUTE_GRADIENT = 2;
  static final int AWAIT_STEP = 3;
  static final int STEP_REPLY = 4;
  static final int INSTALL_SHARD = 5;
  static final int REGISTER_SHARD = 6;
  static final int ANNOUNCE_STEP = 7;
  /** The suffix of the map of an optimizer's step header ({@link AnnounceStep}). */
  static final String STEPS_SUFFIX = "#steps";

  private ClusterSetup() {}

  /**
   * Adds this library's serializers and the optimizer maps' configuration ({@value #MAP_PREFIX}*:
   * in-memory format {@code OBJECT}, {@code backups} synchronous backups, no asynchronous ones) to
   * a member's configuration.
   *
   * @param backups synchronous backups of every shard, 0 to 6; with {@code b} backups a shard
   *     survives {@code b} members failing at once
   * @return {@code config}
   */
  public static Config configureMember(Config config, int backups) {
    if (backups < 0 || backups > MapConfig.MAX_BACKUP_COUNT) {
      throw new IllegalArgumentException("backups must be in [0, " + MapConfig.MAX_BACKUP_COUNT + "], got " + backups);
    }
    addSerializers(config.getSerializationConfig());
    config.addMapConfig(new MapConfig(MAP_PREFIX + "*")
        .setInMemoryFormat(InMemoryFormat.OBJECT)
        .setBackupCount(backups)
        .setAsyncBackupCount(0)
        .setStatisticsEnabled(false));
    return config;
  }

  /** Adds this library's serializers to a client's configuration. */
  public static ClientConfig configureClient(ClientConfig config) {
    addSerializers(config.getSerializationConfig());
    return config;
  }

  private static void addSerializers(SerializationConfig serialization) {
    serialization.addDataSerializableFactory(FACTORY_ID, new Factory());
  }

  /** Builds this library's serializable classes by id. */
  static final class Factory implements DataSerializableFactory {
    @Override
    public IdentifiedDataSerializable create(int typeId) {
      switch (typeId) {
        case SHARD:
          return new Shard();
        case CONTRIBUTE_GRADIENT:
          return new ContributeGradient();
        case AWAIT_STEP:
          return new AwaitStep();
        case STEP_REPLY:
          return new StepReply();
        case INSTALL_SHARD:
          return new InstallShard();
        case REGISTER_SHARD:
          return new RegisterShard();
        case ANNOUNCE_STEP:
          return new AnnounceStep();
        default:
          return null;
      }
    }
  }
}
