package bench.without;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Takes single features out of the packaged service for {@code bench/hot-path.sh}, so
 * that one instance without a feature tells what that feature costs, and the service
 * needs no switch that exists only for a benchmark. The script puts this class alone on
 * the service's class path ({@code loader.path}) and names it in a
 * {@code META-INF/spring.factories}; {@code bench.without} lists the bean names to remove
 * (the service's web filters, its CORS configuration source). A name that is not defined
 * stops the start: a renamed bean must not leave an instance silently with the feature it
 * claims to be without.
 */
public class WithoutBeans implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		String[] names = context.getEnvironment().getProperty("bench.without", String[].class, new String[0]);
		// A plain post-processor added here runs after every registry post-processor, the
		// component scan included, and before any bean is made.
		context.addBeanFactoryPostProcessor((beanFactory) -> {
			BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beanFactory;
			for (String name : names) {
				if (!registry.containsBeanDefinition(name)) {
					throw new IllegalStateException("bench.without names " + name + ", which is not a bean here");
				}
				registry.removeBeanDefinition(name);
			}
		});
	}

}
